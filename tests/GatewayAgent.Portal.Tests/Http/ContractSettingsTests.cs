using System.Net;
using System.Text;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>
/// The contract's settings pages over HTTP (issue 11; BF-15's menu): destinations with BF-16's confirm step, search (BF-13), start and
/// stop (BF-4, BF-11), CSV (BF-12, SS-12), notification (FN-8, FN-9, FN-10, FN-14), stale forms (SS-11), SS-2 by
/// direct URL on every handler, and the settings audit of every change.
/// </summary>
[Trait("Ring", "integration")]
public sealed class ContractSettingsTests
{
    private const string Password = "Gw7kPq2x9Z";

    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    private static Dictionary<string, string> Form(string version, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        form["FormVersion"] = version;
        return form;
    }

    private static async Task<PortalClient> LogInAsync(PortalSite site, AuthenticationUnit unit = AuthenticationUnit.Line, string number = PortalSite.ContractNumber)
    {
        await LoginTests.SetPasswordAsync(site, unit, number);
        var client = new PortalClient(site.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(number, Password)).StatusCode);
        return client;
    }

    internal static async Task<ContractRecord> ContractAsync(PortalSite site) =>
        (await site.Services.GetRequiredService<ContractStore>().ListAsync(CancellationToken.None)).Single();

    /// <summary>The settings changes of the contract in the audit, newest first (the accounts' own rows left out).</summary>
    private static async Task<IReadOnlyList<SettingsAuditEntry>> AuditAsync(PortalSite site) =>
        [.. (await site.Services.GetRequiredService<SettingsAuditLog>().ListAsync((await ContractAsync(site)).Id, 100, CancellationToken.None))
            .Where(a => a.Action is not ("password.changed" or "temporary-password.issued") && !a.Action.StartsWith("otp.", StringComparison.Ordinal))];

    /// <summary>Gives the contract 33 numbers (BF-13, SS-12): its three and 0312340001–0312340030.</summary>
    internal static async Task GrowTo33NumbersAsync(PortalSite site)
    {
        var contract = await ContractAsync(site);
        var additional = Enumerable.Range(1, 30).Select(i => $"03123400{i:00}").Prepend(PortalSite.Monitoring).Prepend(PortalSite.Additional).ToList();
        await site.Services.GetRequiredService<ContractStore>().SetNumbersAsync(contract.Id, additional, null, null, CancellationToken.None);
    }

    [Fact]
    public async Task An_additional_numbers_login_gets_403_on_every_settings_handler_by_direct_URL_GET_and_POST_SS_2()
    {
        await using var site = await PortalSite.StartAsync();
        await GrowTo33NumbersAsync(site);
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Number, PortalSite.ContractNumber);
        using var additional = await LogInAsync(site, AuthenticationUnit.Number, PortalSite.Additional);
        await additional.GetAsync("/"); // a page of its own, for a valid antiforgery token: the refusal is the policy's
        var before = await ContractAsync(site);

        foreach (var path in new[]
        {
            "/Contract/Forwarding", "/Contract/Forwarding?Search=0312*", "/Contract/Destination?number=" + PortalSite.Additional,
            "/Contract/DestinationsCsv", "/Contract/DestinationsCsv?handler=Download&encoding=shift_jis", "/Contract/Notification",
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await additional.DownloadAsync(path)).StatusCode);
        }

        var version = before.RowVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (path, fields) in new[]
        {
            ("/Contract/Forwarding?handler=Start", Form(version)),
            ("/Contract/Forwarding?handler=Stop", Form(version)),
            ("/Contract/Destination?handler=Confirm", Form(version, ("Number", PortalSite.Additional), ("Destination", "09011112222"))),
            ("/Contract/Destination?handler=Save", Form(version, ("Number", PortalSite.Additional), ("Confirmed", "09011112222"))),
            ("/Contract/Destination?handler=Remove", Form(version, ("Number", PortalSite.ContractNumber))),
            ("/Contract/DestinationsCsv?handler=Apply", Form(version, ("Table", Convert.ToBase64String("\"0312345679\",\"09011112222\"\r\n"u8.ToArray())))),
            ("/Contract/Notification?handler=Save", Form(version, ("Recipients[0].Address", "x@example.jp"))),
            ("/Contract/Notification?handler=TestMail", Form(version, ("Recipients[0].Address", "x@example.jp"), ("TestRow", "0"))),
        })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await additional.PostAsync(path, fields)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await additional.PostFileAsync(
            "/Contract/DestinationsCsv?handler=Upload", Form(version), "file", "d.csv", "\"0312345679\",\"09011112222\"\r\n"u8.ToArray())).StatusCode);
        var after = await ContractAsync(site);
        Assert.Equal(before.RowVersion, after.RowVersion); // nothing was changed
        Assert.Empty(await site.Services.GetRequiredService<OutboxStore>().ListForContractAsync(after.Id, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_destination_is_shown_normalised_for_confirmation_and_saved_only_when_confirmed_BF_16()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);

        await client.GetAsync("/Contract/Destination?number=" + PortalSite.Additional);
        var confirm = await client.PostAsync(
            "/Contract/Destination?handler=Confirm",
            Form(client.FormVersion(), ("Number", PortalSite.Additional), ("Destination", "０９０－１１１１－２２２２")));

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("<strong id=\"confirmed\"", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal("09011112222", client.Field("Confirmed")); // the normalised form, as it will be stored
        Assert.DoesNotContain((await ContractAsync(site)).Destinations, d => d.Number == PortalSite.Additional); // nothing saved yet

        var saved = await client.PostAsync(
            "/Contract/Destination?handler=Save", Form(client.FormVersion(), ("Number", PortalSite.Additional), ("Confirmed", client.Field("Confirmed"))));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains(new DestinationEntry(PortalSite.Additional, "09011112222"), (await ContractAsync(site)).Destinations);
        await client.GetAsync("/Contract/Forwarding");
        Assert.Contains("0312345679 の転送先を 09011112222 に登録しました。", client.LastHtml, StringComparison.Ordinal);
        var audit = Assert.Single(await AuditAsync(site), a => a.Action == "destination.set");
        Assert.Equal((PortalSite.ContractNumber, PortalSite.Additional, "(none) -> 09011112222"), (audit.Actor, audit.Target, audit.Detail));
        Assert.Equal(site.Time.GetUtcNow(), audit.At);
    }

    [Fact]
    public async Task A_restricted_destination_or_the_monitoring_number_is_refused_at_the_confirm_step_BF_9_BF_14()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/Destination?number=" + PortalSite.Additional);

        var restricted = await client.PostAsync(
            "/Contract/Destination?handler=Confirm", Form(client.FormVersion(), ("Number", PortalSite.Additional), ("Destination", "0120-123-456")));

        Assert.Equal(HttpStatusCode.BadRequest, restricted.StatusCode);
        Assert.Contains("この番号は転送先に指定できません", client.LastHtml, StringComparison.Ordinal);
        Assert.Contains("BF-9", client.LastHtml, StringComparison.Ordinal);
        var monitoring = await client.PostAsync(
            "/Contract/Destination?handler=Save", Form(client.FormVersion(), ("Number", PortalSite.Monitoring), ("Confirmed", "09011112222")));
        Assert.Equal(HttpStatusCode.BadRequest, monitoring.StatusCode); // a hand-made post skipping the confirm step meets the same rules
        Assert.Contains("BF-14", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/Contract/Destination?number=0399999999")).StatusCode); // not the contract's
        Assert.Single((await ContractAsync(site)).Destinations);
    }

    [Fact]
    public async Task Start_is_refused_without_destinations_then_starts_and_stops_and_each_change_is_audited_BF_4()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/Destination?number=" + PortalSite.ContractNumber);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(
            "/Contract/Destination?handler=Remove", Form(client.FormVersion(), ("Number", PortalSite.ContractNumber)))).StatusCode);

        await client.GetAsync("/Contract/Forwarding");
        Assert.Contains("先に転送先を1件以上登録してください", client.LastHtml, StringComparison.Ordinal);
        var refused = await client.PostAsync("/Contract/Forwarding?handler=Start", Form(client.FormVersion()));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("一括転送を開始するには、転送先を1件以上登録してください。（BF-4", client.LastHtml, StringComparison.Ordinal);
        Assert.False((await ContractAsync(site)).Forwarding.On);

        await site.Services.GetRequiredService<ContractStore>().SetDestinationAsync(
            (await ContractAsync(site)).Id, PortalSite.Additional, "09011112222", CancellationToken.None);
        await client.GetAsync("/Contract/Forwarding");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/Contract/Forwarding?handler=Start", Form(client.FormVersion()))).StatusCode);
        var started = await ContractAsync(site);
        Assert.True(started.Forwarding.On);
        await client.GetAsync("/Contract/Forwarding");
        Assert.Contains("一括転送：<strong>開始中</strong>", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/Contract/Forwarding?handler=Stop", Form(client.FormVersion()))).StatusCode);
        Assert.False((await ContractAsync(site)).Forwarding.On);

        Assert.Equal(
            ["forwarding.stopped", "forwarding.started", "destination.removed"],
            (await AuditAsync(site)).Where(a => a.Actor == PortalSite.ContractNumber).Select(a => a.Action));
        var switchAudit = await site.Services.GetRequiredService<ForwardingSwitch>().GetAuditAsync(started.Id, 10, CancellationToken.None);
        Assert.Equal((PortalSite.ContractNumber, ForwardingSwitch.SiteNote), (switchAudit[0].Actor, switchAudit[0].Note));
    }

    [Fact]
    public async Task The_operators_hold_is_shown_and_a_start_is_refused_while_it_lasts_BF_11()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);
        var contract = await ContractAsync(site);
        await site.Services.GetRequiredService<ForwardingSwitch>().StopAsync(
            contract.Id, operatorOverride: true, "noc", "the destination's owner asked", CancellationToken.None);

        await client.GetAsync("/Contract/Forwarding");
        Assert.Contains("運用者により一括転送が停止・保留されています", client.LastHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("the destination's owner asked", client.LastHtml, StringComparison.Ordinal); // the operator's note is theirs
        var refused = await client.PostAsync("/Contract/Forwarding?handler=Start", Form(client.FormVersion()));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("運用者により一括転送が保留されています。（BF-11", client.LastHtml, StringComparison.Ordinal);
        Assert.False((await ContractAsync(site)).Forwarding.On);
    }

    [Fact]
    public async Task A_form_shown_before_another_change_is_refused_on_every_settings_form_SS_11()
    {
        await using var site = await PortalSite.StartAsync();
        await GrowTo33NumbersAsync(site);
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/Forwarding");
        var old = client.FormVersion();
        await site.Services.GetRequiredService<ContractStore>().SetDestinationAsync( // another window, or the operator
            (await ContractAsync(site)).Id, PortalSite.Additional, "09011112222", CancellationToken.None);
        var current = await ContractAsync(site);

        foreach (var (path, fields) in new[]
        {
            ("/Contract/Forwarding?handler=Start", Form(old)),
            ("/Contract/Destination?handler=Confirm", Form(old, ("Number", PortalSite.Additional), ("Destination", "09033334444"))),
            ("/Contract/Destination?handler=Save", Form(old, ("Number", PortalSite.Additional), ("Confirmed", "09033334444"))),
            ("/Contract/Destination?handler=Remove", Form(old, ("Number", PortalSite.Additional))),
            ("/Contract/DestinationsCsv?handler=Apply", Form(old, ("Table", Convert.ToBase64String("\"0312345679\",\"09033334444\"\r\n"u8.ToArray())))),
            ("/Contract/Notification?handler=Save", Form(old, ("Recipients[0].Address", "ops@example.jp"), ("Recipients[0].Send", "true"), ("ServiceOn", "true"))),
        })
        {
            var refused = await client.PostAsync(path, fields);
            Assert.True(HttpStatusCode.Conflict == refused.StatusCode, $"{path}: {refused.StatusCode}");
            Assert.Contains(VersionedFormPageModel.StaleFormMessage, client.LastHtml, StringComparison.Ordinal);
            Assert.Equal(current.RowVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), client.FormVersion()); // shown as it is now
        }

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostFileAsync(
            "/Contract/DestinationsCsv?handler=Upload", Form(old), "file", "d.csv", "\"0312345679\",\"09033334444\"\r\n"u8.ToArray())).StatusCode);
        var after = await ContractAsync(site);
        Assert.Equal(current.RowVersion, after.RowVersion);
        Assert.False(after.Forwarding.On);
        Assert.Empty(await AuditAsync(site));
    }

    [Fact]
    public async Task The_number_search_is_offered_from_33_numbers_by_part_of_a_number_and_wildcard_BF_13()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/Forwarding");
        Assert.DoesNotContain("name=\"Search\"", client.LastHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("/Contract/DestinationsCsv", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/Contract/DestinationsCsv")).StatusCode); // SS-12

        await GrowTo33NumbersAsync(site);
        await client.GetAsync("/Contract/Forwarding");
        Assert.Contains("name=\"Search\"", client.LastHtml, StringComparison.Ordinal);
        Assert.Contains("転送先（32 件表示）", client.LastHtml, StringComparison.Ordinal); // all but the monitoring number

        await client.GetAsync("/Contract/Forwarding?Search=" + Uri.EscapeDataString("*0005"));
        Assert.Contains("転送先（1 件表示）", client.LastHtml, StringComparison.Ordinal);
        Assert.Contains("<td>0312340005</td>", client.LastHtml, StringComparison.Ordinal);
        await client.GetAsync("/Contract/Forwarding?Search=" + Uri.EscapeDataString("03-1234-001"));
        Assert.Contains("転送先（10 件表示）", client.LastHtml, StringComparison.Ordinal); // 0312340010 – 0312340019
        await client.GetAsync("/Contract/Forwarding?Search=" + Uri.EscapeDataString("0312*8"));
        Assert.Contains("転送先（4 件表示）", client.LastHtml, StringComparison.Ordinal); // 0312345678, 0312340008, 0312340018, 0312340028
    }

    [Fact]
    public async Task The_CSV_downloads_in_Shift_JIS_and_an_edited_file_uploads_back_after_confirmation_BF_12_SS_12()
    {
        await using var site = await PortalSite.StartAsync();
        await GrowTo33NumbersAsync(site);
        using var client = await LogInAsync(site);

        var download = await client.DownloadAsync("/Contract/DestinationsCsv?handler=Download&encoding=shift_jis");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("shift_jis", download.Content.Headers.ContentType?.CharSet);
        var text = ShiftJis.GetString(await download.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\"0312345678\",\"09012345678\"\r\n\"0312345679\",\"\"\r\n\"0312345670\",\"\"\r\n\"0312340001\",\"\"\r\n", text, StringComparison.Ordinal);

        // Edited as in Excel on Japanese Windows: full-width digits, saved as Shift_JIS (multi-byte), one row removed.
        var edited = text.Replace("\"0312340001\",\"\"", "\"0312340001\",\"０８０－５５５５－６６６６\"", StringComparison.Ordinal)
            .Replace("\"0312345678\",\"09012345678\"", "\"0312345678\",\"\"", StringComparison.Ordinal);
        await client.GetAsync("/Contract/DestinationsCsv");
        var preview = await client.PostFileAsync(
            "/Contract/DestinationsCsv?handler=Upload", Form(client.FormVersion(), ("Encoding", "")), "file", "転送先.csv", ShiftJis.GetBytes(edited));

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("追加 1 件、変更 0 件、削除 1 件", client.LastHtml, StringComparison.Ordinal);
        Assert.Contains("<td>0312340001</td><td>未登録</td><td>08055556666</td>", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal([new DestinationEntry(PortalSite.ContractNumber, "09012345678")], (await ContractAsync(site)).Destinations); // not yet

        var applied = await client.PostAsync(
            "/Contract/DestinationsCsv?handler=Apply", Form(client.FormVersion(), ("Table", client.Field("Table"))));
        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        Assert.Equal([new DestinationEntry("0312340001", "08055556666")], (await ContractAsync(site)).Destinations);
        var audit = Assert.Single(await AuditAsync(site), a => a.Action == "destinations.csv");
        Assert.Equal(PortalSite.ContractNumber, audit.Actor);
        Assert.Contains("0312340001: (none) -> 08055556666", audit.Detail, StringComparison.Ordinal);

        var again = ShiftJis.GetString(await (await client.DownloadAsync("/Contract/DestinationsCsv?handler=Download&encoding=shift_jis")).Content.ReadAsByteArrayAsync());
        Assert.Contains("\"0312340001\",\"08055556666\"\r\n", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CSV_upload_is_checked_by_the_APIs_rules_and_its_size_is_capped_BF_12()
    {
        await using var site = await PortalSite.StartAsync();
        await GrowTo33NumbersAsync(site);
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/DestinationsCsv");
        var version = client.FormVersion();

        var restricted = await client.PostFileAsync(
            "/Contract/DestinationsCsv?handler=Upload", Form(version), "file", "d.csv", "\"0312345678\",\"09012345678\"\r\n\"0312340001\",\"0570-000-111\"\r\n"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, restricted.StatusCode);
        Assert.Contains("BF-9：2行目", client.LastHtml, StringComparison.Ordinal);
        var notCsv = await client.PostFileAsync("/Contract/DestinationsCsv?handler=Upload", Form(version), "file", "d.csv", [0x82, 0xA0, 0xFF, 0xFE, 0x00]);
        Assert.Equal(HttpStatusCode.BadRequest, notCsv.StatusCode);
        Assert.Contains("CSVファイルを読み込めません。", client.LastHtml, StringComparison.Ordinal);

        var large = new byte[DestinationsCsvUploadLimit + 1];
        Array.Fill(large, (byte)',');
        var tooLarge = await client.PostFileAsync("/Contract/DestinationsCsv?handler=Upload", Form(version), "file", "d.csv", large);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.True(client.LastHtml.Contains("CSVファイルは1MBまでです", StringComparison.Ordinal), client.LastHtml);
        Assert.Single((await ContractAsync(site)).Destinations);
    }

    private const int DestinationsCsvUploadLimit = Pages.Contract.DestinationsCsvModel.UploadLimit;

    [Fact]
    public async Task Notification_settings_are_saved_under_the_domains_rules_and_audited_FN_8_FN_9_FN_10_FN_14()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/Notification");
        Assert.Equal("ops@example.jp", client.Field("Recipients[0].Address"));
        Assert.Equal("株式会社テスト", client.Field("HolderName"));
        var version = client.FormVersion();

        async Task RefusedAsync(string rule, string message, params (string, string)[] fields)
        {
            var refused = await client.PostAsync("/Contract/Notification?handler=Save", Form(version, fields));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, client.LastHtml, StringComparison.Ordinal);
            Assert.Contains($"（{rule}：", client.LastHtml, StringComparison.Ordinal);
        }

        await RefusedAsync("FN-9", "メールアドレスの形式が正しくありません。", ("Recipients[0].Address", "ops@@example.jp"), ("Recipients[0].Send", "true"));
        await RefusedAsync("FN-10", "文字数が上限を超えているか", ("Recipients[0].Address", "ops@example.jp"), ("HolderName", new string('名', 21)));
        await RefusedAsync("FN-14", "送信する通知先を1件以上登録してください", ("ServiceOn", "true"), ("AutoStart", "true"));
        await RefusedAsync(
            "FN-8", "通知先メールアドレスは20件までです。", [.. Enumerable.Range(0, 21).Select(i => ($"Recipients[{i}].Address", $"r{i}@example.jp"))]);

        var saved = await client.PostAsync("/Contract/Notification?handler=Save", Form(
            version,
            ("ServiceOn", "true"), ("AutoStart", "true"), ("AutoStop", "true"), ("HolderName", "山田商店"), ("SiteInformation", "本社 3階"),
            ("Recipients[0].Address", "ops@example.jp"), ("Recipients[0].Send", "true"),
            ("Recipients[1].Address", ""),
            ("Recipients[2].Address", " night@example.jp ")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var notification = (await ContractAsync(site)).Notification;
        Assert.Equal((true, true, true, "山田商店", "本社 3階"), (notification.ServiceOn, notification.AutoStart, notification.AutoStop, notification.HolderName, notification.SiteInformation));
        Assert.Equal([new RecipientEntry("ops@example.jp", true), new RecipientEntry("night@example.jp", false)], notification.Recipients);
        var audit = Assert.Single(await AuditAsync(site));
        Assert.Equal((PortalSite.ContractNumber, "notification", "notification.changed"), (audit.Actor, audit.Target, audit.Action));
        Assert.Contains("autoStart False -> True", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("holderName 株式会社テスト -> 山田商店", audit.Detail, StringComparison.Ordinal);
        Assert.Contains("recipients [ops@example.jp] -> [ops@example.jp,night@example.jp(no send)]", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_mail_to_an_unsaved_address_is_queued_in_the_outbox_FN_8()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = await LogInAsync(site);
        await client.GetAsync("/Contract/Notification");
        var version = client.FormVersion();

        var bad = await client.PostAsync("/Contract/Notification?handler=TestMail", Form(version, ("Recipients[1].Address", "new@"), ("TestRow", "1")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var sent = await client.PostAsync(
            "/Contract/Notification?handler=TestMail",
            Form(version, ("Recipients[0].Address", "ops@example.jp"), ("Recipients[1].Address", "new@example.jp"), ("TestRow", "1")));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("new@example.jp にテストメールを送信しました", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal("new@example.jp", client.Field("Recipients[1].Address")); // the form keeps what was entered, unsaved
        var contract = await ContractAsync(site);
        var mail = Assert.Single(await site.Services.GetRequiredService<OutboxStore>().ListForContractAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal(("new@example.jp", MailKind.Test), (mail.Recipient, mail.Kind));
        Assert.DoesNotContain(contract.Notification.Recipients, r => r.Address == "new@example.jp");
    }
}
