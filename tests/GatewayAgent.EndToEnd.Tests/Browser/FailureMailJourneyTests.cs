using System.Text.RegularExpressions;
using GatewayAgent.Lab;
using GatewayAgent.Portal.Tests.Browser;
using Microsoft.Playwright;

namespace GatewayAgent.EndToEnd.Tests.Browser;

/// <summary>
/// Issue 11's journey through a failure mail, in a real browser (Debian's chromium through Playwright) against the lab's
/// real processes: a site's power is cut, the controller's detector declares the failure and auto-starts forwarding
/// (FN-6), the failure mail reaches the SMTP relay (FN-8), and the customer follows the mail's settings-site link, logs
/// in with the temporary password the lab printed (SS-3, SS-4), changes it, declines the one-time password (SS-7), then
/// stops and starts bulk forwarding on the site (BF-3, SS-2) — each click followed by the edge's routing of a call —
/// and logs out (SS-11).
/// </summary>
[Trait("Ring", "e2e")]
public sealed partial class FailureMailJourneyTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string FailureSubject = "着信異常検知のお知らせです";
    private const string Password = "Gw7kPq2x9Z";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _work = new("gateway-e2e-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Power_cut_failure_mail_link_login_forced_change_stop_and_start_forwarding_logout()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var output = new StringWriter();
        await using var lab = await LabHarness.StartAsync(_work.Path, sites: 1, relay.Port, TextWriter.Synchronized(output));
        var printed = LoginLine().Match(output.ToString());
        Assert.True(printed.Success, output.ToString());
        var (site, id) = lab.Sites[0];
        await LabHarness.WaitForAsync(() => lab.Api.GetStatusAsync(id, default),
            s => s is { Live.Online: true } && s.Detector.State.Equals("normal", StringComparison.OrdinalIgnoreCase), Settle, "site 1 up and online");

        // The site fails: the real detector declares it, auto-start turns forwarding on, the failure mail goes out.
        await lab.ExecuteAsync(new LabCommand("power", site.Index, On: false), new CancellationTokenSource());
        await LabHarness.WaitForAsync(() => Task.FromResult(relay.Received.Count), n => n >= 1, Settle, "the failure mail");
        var mail = Assert.Single(relay.Received);
        Assert.Equal(FailureSubject, mail.Subject);
        var link = SettingsLink().Match(mail.TextBody ?? "");
        Assert.True(link.Success, mail.TextBody);
        Assert.Equal(lab.PortalUrl, link.Value);
        Assert.True((await lab.Api.GetStatusAsync(id, default))!.Forwarding.On, "auto-start (FN-6) turned forwarding on");

        // The customer follows the link: the site asks for a login first, then the change of the temporary password.
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(link.Value);
        await Expect(page, "/Account/Login");
        await page.GetByLabel("電話番号（ハイフンなし）").FillAsync(printed.Groups["number"].Value);
        await page.GetByLabel("パスワード（初回は仮パスワード）").FillAsync(printed.Groups["password"].Value);
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "ログイン" }));
        await Expect(page, "/Account/ChangePassword");
        await page.GetByLabel("現在のパスワード（仮パスワードでログインした場合は仮パスワード）").FillAsync(printed.Groups["password"].Value);
        await page.GetByLabel("新しいパスワード", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("新しいパスワード（確認）").FillAsync(Password);
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "変更する" }));
        await Expect(page, "/Account/Otp/Choice");
        await page.GetByLabel("ワンタイムパスワードを利用しない", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("ワンタイムパスワードを利用しないことに同意する（利用しない場合のみ）").CheckAsync();
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "次へ" }));
        await Expect(page, "/");

        // The forwarding page shows what the failure did; the customer stops forwarding, and calls reach the site's
        // number again (busy or unanswered while its power is off, not the destination).
        await page.GetByRole(AriaRole.Navigation, new() { Name = "メニュー" }).GetByRole(AriaRole.Link, new() { Name = "一括転送設定" }).ClickAsync();
        await Expect(page, "/Contract/Forwarding");
        Assert.Contains("一括転送：<strong>開始中</strong>", await page.ContentAsync(), StringComparison.Ordinal);
        await LabHarness.WaitForAsync(() => lab.CallAsync(1, null, default),
            line => line == $"call {site.ContractNumber}: answered by destination {site.Destination}", Settle, "calls forwarded after the failure");
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "一括転送を停止する" }));
        await Expect(page, "/Contract/Forwarding");
        Assert.Contains("一括転送：<strong>停止中</strong>", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.False((await lab.Api.GetStatusAsync(id, default))!.Forwarding.On);
        await LabHarness.WaitForAsync(() => lab.CallAsync(1, null, default),
            line => !line.Contains("answered by destination", StringComparison.Ordinal), Settle, "calls no longer forwarded after the stop");

        // And starts it again: calls go to the destination once more.
        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "一括転送を開始する" }));
        await Expect(page, "/Contract/Forwarding");
        Assert.Contains("一括転送を開始しました。", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.True((await lab.Api.GetStatusAsync(id, default))!.Forwarding.On);
        await LabHarness.WaitForAsync(() => lab.CallAsync(1, null, default),
            line => line == $"call {site.ContractNumber}: answered by destination {site.Destination}", Settle, "calls forwarded after the start");

        await SubmitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "ログアウト" }));
        await Expect(page, "/Account/Login");
        Assert.Contains("ログアウトしました", await page.ContentAsync(), StringComparison.Ordinal);
    }

    // Submits a form and waits until the browser shows the document that answered it (as BrowserJourneyTests does).
    private static async Task SubmitAsync(IPage page, ILocator button)
    {
        await page.EvaluateAsync("() => { window.__beforeSubmit = true; }");
        await button.ClickAsync();
        await page.WaitForFunctionAsync(
            "() => window.__beforeSubmit === undefined && document.readyState === 'complete'", null, new() { Timeout = 15_000 });
    }

    private static Task Expect(IPage page, string path) =>
        page.WaitForFunctionAsync(
            "path => location.pathname === path && document.readyState === 'complete'", path, new() { Timeout = 15_000 });

    [GeneratedRegex(@"site 1: log in at (?<url>\S+) with (?<number>\d+) and the temporary password (?<password>\d{8}) ")]
    private static partial Regex LoginLine();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex SettingsLink();
}
