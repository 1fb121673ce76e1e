using System.Net;
using System.Text;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>SS-8 over real HTTP: the one-time-password CSV download and upload, UTF-8 and Shift_JIS, all or nothing, who may.</summary>
[Trait("Ring", "integration")]
public sealed class OtpCsvTests
{
    private const string Password = "Gw7kPq2x9Z";
    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    [Fact]
    public async Task Upload_sets_every_number_mails_new_addresses_their_link_and_the_download_gives_it_back_in_Shift_JIS_SS_8()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = await LogInAsync(site, PortalSite.ContractNumber);

        // Shift_JIS with the guide's column row (Japanese: it only reads right as Shift_JIS), CR+LF.
        var csv = string.Join("\r\n",
            "\"電話番号\",\"ワンタイムパスワード利用設定\",\"ワンタイムパスワード受信用メールアドレス\",\"確認用ID\",\"確認用パスワード\"",
            $"\"{PortalSite.ContractNumber}\",\"1\",\"admin@example.jp\",\"AdminId12\",\"adm1nPass\"",
            $"\"03-1234-5679\",\"1\",\"user@example.jp\",\"UserId34\",\"us3rPass\"",
            $"{PortalSite.Monitoring},0,,,") + "\r\n";
        await client.GetAsync("/Account/Otp/Bulk");
        var uploaded = await client.PostFileAsync("/Account/Otp/Bulk", "Upload", ShiftJis.GetBytes(csv), new Dictionary<string, string>
        {
            ["Encoding"] = "", ["FormVersion"] = client.FormVersion(),
        });

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        await client.GetAsync("/Account/Otp/Bulk");
        Assert.Contains("3件の電話番号を設定しました。2件のメールアドレスに本登録のURLを送信しました。", client.LastHtml, StringComparison.Ordinal);
        await MailSink.WaitAsync(site, "admin@example.jp", OtpMails.ConfirmationSubject);
        await MailSink.WaitAsync(site, "user@example.jp", OtpMails.ConfirmationSubject);
        var additional = await OtpTests.Otp(site).GetAsync(PortalSite.Additional, CancellationToken.None);
        Assert.Equal((OtpUsage.Used, "user@example.jp", "UserId34", true), (additional.Usage!.Value, additional.PendingAddress!, additional.ConfirmationId!, additional.HasConfirmationPassword));
        Assert.Equal(OtpUsage.NotUsed, (await OtpTests.Otp(site).GetAsync(PortalSite.Monitoring, CancellationToken.None)).Usage);

        var (response, bytes) = await client.DownloadBytesAsync("/Account/Otp/Bulk?handler=Download&encoding=shift_jis");
        Assert.Equal("text/csv; charset=shift_jis", response.Content.Headers.ContentType?.ToString());
        var expected =
            $"\"{PortalSite.ContractNumber}\",\"1\",\"admin@example.jp\",\"AdminId12\",\"\"\r\n" +
            $"\"{PortalSite.Additional}\",\"1\",\"user@example.jp\",\"UserId34\",\"\"\r\n" +
            $"\"{PortalSite.Monitoring}\",\"0\",\"\",\"\",\"\"\r\n";
        Assert.Equal(ShiftJis.GetBytes(expected), bytes);

        // The download uploads back unchanged (the empty confirmation password keeps the stored one): no new mail.
        await client.GetAsync("/Account/Otp/Bulk");
        var again = await client.PostFileAsync("/Account/Otp/Bulk", "Upload", bytes, new Dictionary<string, string>
        {
            ["Encoding"] = "shift_jis", ["FormVersion"] = client.FormVersion(),
        });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        await client.GetAsync("/Account/Otp/Bulk");
        Assert.Contains("3件の電話番号を設定しました。", client.LastHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("本登録のURLを送信しました", client.LastHtml, StringComparison.Ordinal);
        var (_, utf8) = await client.DownloadBytesAsync("/Account/Otp/Bulk?handler=Download&encoding=utf-8");
        Assert.Equal(expected, Encoding.UTF8.GetString(utf8));
    }

    [Fact]
    public async Task A_file_with_one_bad_row_sets_nothing_and_names_each_row_SS_8()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = await LogInAsync(site, PortalSite.ContractNumber);
        var csv = $"{PortalSite.ContractNumber},1,admin@example.jp,AdminId12,adm1nPass\r\n" +
                  $"{PortalSite.Additional},2,user@example.jp,userid34,password\r\n" +
                  "0399999999,0,,,\r\n";
        await client.GetAsync("/Account/Otp/Bulk");

        var refused = await client.PostFileAsync("/Account/Otp/Bulk", "Upload", Encoding.UTF8.GetBytes(csv), new Dictionary<string, string>
        {
            ["Encoding"] = "utf-8", ["FormVersion"] = client.FormVersion(),
        });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = WebUtility.HtmlDecode(client.LastHtml);
        Assert.Contains("csv[2]：ワンタイムパスワード利用設定は 0（利用なし）か 1（利用あり）", html, StringComparison.Ordinal);
        Assert.Contains("csv[2]：確認用ID：" + OtpCredentialRules.Message(OtpCredentialBreach.SingleCase), html, StringComparison.Ordinal);
        Assert.Contains("csv[2]：確認用パスワード：" + OtpCredentialRules.Message(OtpCredentialBreach.LettersAndDigits), html, StringComparison.Ordinal);
        Assert.Contains("csv[3]：電話番号「0399999999」", html, StringComparison.Ordinal);
        var contract = await OtpTests.Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None); // row 1 not applied either
        Assert.Equal((OtpUsage.NotUsed, null), (contract.Usage!.Value, contract.ConfirmationId));
    }

    [Fact]
    public async Task Only_a_login_that_manages_every_number_may_use_the_CSV_SS_8_SS_1()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Number, PortalSite.ContractNumber);
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Number, PortalSite.Additional);
        using var numberUnit = await LogInAsync(site, PortalSite.ContractNumber);

        Assert.Equal(HttpStatusCode.Forbidden, (await numberUnit.GetAsync("/Account/Otp/Bulk")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await numberUnit.DownloadBytesAsync("/Account/Otp/Bulk?handler=Download")).Response.StatusCode);
        await numberUnit.GetAsync("/");
        var post = await numberUnit.PostFileAsync("/Account/Otp/Bulk", "Upload", Encoding.UTF8.GetBytes($"{PortalSite.Additional},1,x@example.jp,UserId34,us3rPass\r\n"),
            new Dictionary<string, string> { ["FormVersion"] = "0" });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Null((await OtpTests.Otp(site).GetAsync(PortalSite.Additional, CancellationToken.None)).ConfirmationId);
    }

    private static async Task<PortalClient> LogInAsync(PortalSite site, string number)
    {
        var client = new PortalClient(site.BaseAddress);
        Assert.Equal("/", (await client.LoginAsync(number, Password)).Headers.Location?.OriginalString);
        return client;
    }
}
