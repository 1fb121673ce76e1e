using System.Net;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Pages.Account.Otp;
using GatewayAgent.Portal.Security;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>
/// SS-7 over real HTTP, with the mails through the outbox, the dispatcher (MailKit) and the SMTP sink: the choice after
/// the forced change, registration and its 24 h link, the 300 s code at login and wrong codes, the changes of address,
/// confirmation ID and confirmation password.
/// </summary>
[Trait("Ring", "integration")]
public sealed class OtpTests
{
    private const string Password = "Gw7kPq2x9Z";
    private const string Address = "owner@example.jp";
    private const string ConfirmationId = "AbCdEf12";
    private const string ConfirmationPassword = "conf1rmPw";

    [Fact]
    public async Task After_the_forced_change_the_choice_comes_first_and_declining_needs_the_agree_SS_7()
    {
        await using var site = await PortalSite.StartAsync();
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, temporary);
        Assert.Equal("/Account/ChangePassword", (await client.GetAsync("/Account/Otp/Choice")).Headers.Location?.OriginalString); // SS-4 first
        await client.ChangePasswordAsync(temporary, Password);

        foreach (var path in new[] { "/", "/Contract/Forwarding", "/Account/Unit" })
        {
            Assert.Equal("/Account/Otp/Choice", (await client.GetAsync(path)).Headers.Location?.OriginalString);
        }

        await client.GetAsync("/Account/Otp/Choice");
        var refused = await client.PostAsync("/Account/Otp/Choice", new Dictionary<string, string> { ["Usage"] = "decline", ["FormVersion"] = client.FormVersion() });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("「同意する」を選択してください", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await client.DeclineOtpAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(OtpUsage.NotUsed, (await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None)).Usage);

        // Not used: the next login is the password alone.
        using var next = new PortalClient(site.BaseAddress);
        Assert.Equal("/", (await next.LoginAsync(PortalSite.ContractNumber, Password)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Registration_mails_a_link_that_works_once_within_24_hours_then_logins_need_the_mailed_code_SS_7()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        using var client = await FirstLoginAsync(site);

        Assert.Equal("/Account/Otp/Register", (await ChooseUseAsync(client)).Headers.Location?.OriginalString);
        var registered = await RegisterAsync(client, Address);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode); // chosen: the site opens
        var mail = Assert.Single(await MailSink.WaitAsync(site, Address, OtpMails.ConfirmationSubject));
        var link = new Uri(MailSink.Link(mail));
        Assert.Equal(site.BaseAddress.Authority, link.Authority);
        Assert.False((await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None)).Active); // not before the link

        // The link opens without a login (another browser); the GET alone changes nothing, the POST confirms, once.
        using var reader = new PortalClient(site.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(link.PathAndQuery)).StatusCode);
        Assert.False((await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None)).Active);
        site.Time.Advance(OtpRules.ConfirmationLinkValidity - TimeSpan.FromSeconds(1));
        var token = reader.Field("Token");
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync("/Account/Otp/Confirm", new Dictionary<string, string> { ["Token"] = token })).StatusCode);
        Assert.Contains("本登録が完了しました", reader.LastHtml, StringComparison.Ordinal);
        Assert.True((await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None)).Active);
        Assert.Equal(HttpStatusCode.Gone, (await reader.PostAsync("/Account/Otp/Confirm", new Dictionary<string, string> { ["Token"] = token })).StatusCode);

        // The next login: the password, then only the code page until the mailed code is entered.
        using var login = new PortalClient(site.BaseAddress);
        Assert.Equal(OtpGate.VerifyPage, (await login.LoginAsync(PortalSite.ContractNumber, Password)).Headers.Location?.OriginalString);
        foreach (var path in new[] { "/", "/Account/ChangePassword", "/Contract/Forwarding", "/Account/Otp/Choice" })
        {
            Assert.Equal(OtpGate.VerifyPage, (await login.GetAsync(path)).Headers.Location?.OriginalString);
        }

        var code = await SendCodeAsync(site, login, 1);
        Assert.Equal("/", (await EnterCodeAsync(login, code)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await login.GetAsync("/Contract/Forwarding")).StatusCode);
    }

    [Fact]
    public async Task A_confirmation_link_older_than_24_hours_is_refused_and_the_address_stays_unconfirmed_SS_7()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        using var client = await FirstLoginAsync(site);
        await ChooseUseAsync(client);
        await RegisterAsync(client, Address);
        var link = new Uri(MailSink.Link(Assert.Single(await MailSink.WaitAsync(site, Address, OtpMails.ConfirmationSubject))));

        site.Time.Advance(OtpRules.ConfirmationLinkValidity);
        using var reader = new PortalClient(site.BaseAddress);
        await reader.GetAsync(link.PathAndQuery);
        var refused = await reader.PostAsync("/Account/Otp/Confirm", new Dictionary<string, string> { ["Token"] = reader.Field("Token") });

        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        Assert.Contains(ConfirmModel.ExpiredMessage, reader.LastHtml, StringComparison.Ordinal);
        var state = await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None);
        Assert.False(state.Active);
        Assert.Null(state.Address);
    }

    [Fact]
    public async Task A_code_is_valid_300_seconds_and_three_wrong_codes_void_it_each_counting_as_a_wrong_password_SS_7_SS_6()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        await RegisteredAsync(site);
        using var login = new PortalClient(site.BaseAddress);
        await login.LoginAsync(PortalSite.ContractNumber, Password);

        // Expired after 300 s.
        var first = await SendCodeAsync(site, login, 1);
        site.Time.Advance(OtpRules.CodeValidity);
        Assert.Equal(HttpStatusCode.OK, (await EnterCodeAsync(login, first)).StatusCode);
        Assert.Contains(VerifyModel.ExpiredCodeMessage, login.LastHtml, StringComparison.Ordinal);

        // Three wrong entries void the code, even the right one after them.
        var second = await SendCodeAsync(site, login, 2);
        var wrong = second == "000000" ? "111111" : "000000";
        for (var i = 0; i < OtpRules.MaxWrongCodes; i++)
        {
            await EnterCodeAsync(login, wrong);
            Assert.Contains(VerifyModel.WrongCodeMessage, login.LastHtml, StringComparison.Ordinal);
        }

        await EnterCodeAsync(login, second);
        Assert.Contains(VerifyModel.ExpiredCodeMessage, login.LastHtml, StringComparison.Ordinal);
        Assert.Equal(OtpGate.VerifyPage, (await login.GetAsync("/")).Headers.Location?.OriginalString);

        // Each wrong code was a wrong password: 7 more (10 in a row) invalidate the password (SS-6), on any node.
        site.Time.Advance(OtpRules.ResendInterval);
        await SendCodeAsync(site, login, 3);
        for (var i = 0; i < LockoutRules.MaxWrongPasswords - OtpRules.MaxWrongCodes; i++)
        {
            if (i % OtpRules.MaxWrongCodes == 0 && i > 0)
            {
                site.Time.Advance(OtpRules.ResendInterval);
                await SendCodeAsync(site, login, 3 + (i / OtpRules.MaxWrongCodes));
            }

            await EnterCodeAsync(login, wrong);
        }

        Assert.True((await site.Services.GetRequiredService<PortalAccountStore>().FindAsync(PortalSite.ContractNumber, CancellationToken.None))!.PasswordInvalidated);
        Assert.Equal(HttpStatusCode.Redirect, (await login.GetAsync(OtpGate.VerifyPage)).StatusCode); // the session ended with it
    }

    [Fact]
    public async Task Sending_again_within_30_seconds_is_refused_and_a_new_code_voids_the_old_one_SS_7()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        await RegisteredAsync(site);
        using var login = new PortalClient(site.BaseAddress);
        await login.LoginAsync(PortalSite.ContractNumber, Password);
        var first = await SendCodeAsync(site, login, 1);

        await login.GetAsync(OtpGate.VerifyPage);
        await login.PostAsync("/Account/Otp/Verify?handler=Send", new Dictionary<string, string>());
        Assert.Contains("送信済みです", login.LastHtml, StringComparison.Ordinal);

        site.Time.Advance(OtpRules.ResendInterval);
        var second = await SendCodeAsync(site, login, 2);
        if (first != second)
        {
            await EnterCodeAsync(login, first);
            Assert.Contains(VerifyModel.WrongCodeMessage, login.LastHtml, StringComparison.Ordinal);
        }

        Assert.Equal("/", (await EnterCodeAsync(login, second)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Changing_the_address_needs_the_confirmation_ID_and_password_and_repeats_the_link_step_SS_7()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        await RegisteredAsync(site);
        using var login = new PortalClient(site.BaseAddress);
        await login.LoginAsync(PortalSite.ContractNumber, Password);

        // At the code page, before any code: the mailbox is gone, the address is changed with the confirmation secrets.
        await login.GetAsync("/Account/Otp/ChangeAddress");
        await PostChangeAddressAsync(login, ConfirmationId, "wrong1Pw", "new@example.jp");
        Assert.Contains(OtpPageText.WrongConfirmation, login.LastHtml, StringComparison.Ordinal);
        var changed = await PostChangeAddressAsync(login, ConfirmationId, ConfirmationPassword, "new@example.jp");
        Assert.Equal(OtpGate.VerifyPage, changed.Headers.Location?.OriginalString);

        var state = await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None);
        Assert.Equal(Address, state.Address); // the old address receives codes until the new one is confirmed
        Assert.Equal("new@example.jp", state.PendingAddress);
        await ConfirmAsync(site, "new@example.jp");
        Assert.Equal("new@example.jp", (await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None)).Address);

        var code = await SendCodeAsync(site, login, 1, "new@example.jp");
        Assert.Equal("/", (await EnterCodeAsync(login, code)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Ten_wrong_confirmation_entries_invalidate_the_confirmation_ID_and_password_SS_7_SS_6()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        await RegisteredAsync(site);
        using var login = new PortalClient(site.BaseAddress);
        await login.LoginAsync(PortalSite.ContractNumber, Password);
        await login.GetAsync("/Account/Otp/ChangeAddress");

        for (var i = 0; i < OtpRules.MaxWrongConfirmations - 1; i++)
        {
            await PostChangeAddressAsync(login, ConfirmationId, $"wrong{i}Pw", "new@example.jp");
            Assert.Contains(OtpPageText.WrongConfirmation, login.LastHtml, StringComparison.Ordinal);
        }

        await PostChangeAddressAsync(login, "BadIdx99", ConfirmationPassword, "new@example.jp");
        Assert.Contains(OtpPageText.ConfirmationsInvalidated, login.LastHtml, StringComparison.Ordinal);
        await PostChangeAddressAsync(login, ConfirmationId, ConfirmationPassword, "new@example.jp"); // even the right ones now
        Assert.Contains(OtpPageText.ConfirmationsInvalidated, login.LastHtml, StringComparison.Ordinal);
        Assert.Null((await Otp(site).GetAsync(PortalSite.ContractNumber, CancellationToken.None)).PendingAddress);
    }

    [Fact]
    public async Task The_confirmation_ID_and_password_are_changed_with_the_old_value_and_the_new_one_twice_SS_7()
    {
        await using var site = await PortalSite.StartAsync(mail: true);
        await RegisteredAsync(site);
        using var client = await SignedInAsync(site);

        await client.GetAsync("/Account/Otp/Credentials");
        await client.PostAsync("/Account/Otp/Credentials?handler=Id", new Dictionary<string, string>
        {
            ["CurrentId"] = ConfirmationId, ["NewId"] = "lowercase1", ["NewIdAgain"] = "lowercase1", ["FormVersion"] = client.FormVersion(),
        });
        Assert.Contains(OtpCredentialRules.Message(OtpCredentialBreach.SingleCase), client.LastHtml, StringComparison.Ordinal);
        var idChanged = await client.PostAsync("/Account/Otp/Credentials?handler=Id", new Dictionary<string, string>
        {
            ["CurrentId"] = ConfirmationId, ["NewId"] = "NewIdAb34", ["NewIdAgain"] = "NewIdAb34", ["FormVersion"] = client.FormVersion(),
        });
        Assert.Equal(HttpStatusCode.Redirect, idChanged.StatusCode);

        await client.GetAsync("/Account/Otp/Credentials");
        var version = client.FormVersion();
        await client.PostAsync("/Account/Otp/Credentials?handler=Password", new Dictionary<string, string>
        {
            ["CurrentSecret"] = "wrong1Pw", ["NewSecret"] = "n3wSecret", ["NewSecretAgain"] = "n3wSecret", ["FormVersion"] = version,
        });
        Assert.Contains(OtpPageText.WrongConfirmation, client.LastHtml, StringComparison.Ordinal);
        var secretChanged = await client.PostAsync("/Account/Otp/Credentials?handler=Password", new Dictionary<string, string>
        {
            ["CurrentSecret"] = ConfirmationPassword, ["NewSecret"] = "n3wSecret", ["NewSecretAgain"] = "n3wSecret", ["FormVersion"] = version,
        });
        Assert.Equal(HttpStatusCode.Redirect, secretChanged.StatusCode);

        // A form shown before these changes is refused (SS-11).
        var stale = await client.PostAsync("/Account/Otp/Credentials?handler=Id", new Dictionary<string, string>
        {
            ["CurrentId"] = "NewIdAb34", ["NewId"] = "OtherAb12", ["NewIdAgain"] = "OtherAb12", ["FormVersion"] = version,
        });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        // The new pair changes the address.
        await client.GetAsync("/Account/Otp/ChangeAddress");
        Assert.Equal(HttpStatusCode.Redirect, (await PostChangeAddressAsync(client, "NewIdAb34", "n3wSecret", "third@example.jp")).StatusCode);
        await MailSink.WaitAsync(site, "third@example.jp", OtpMails.ConfirmationSubject);
    }

    internal static OtpStore Otp(PortalSite site) => site.Services.GetRequiredService<OtpStore>();

    /// <summary>The contract number with <see cref="Password"/> set, OTP registered to <see cref="Address"/> and confirmed.</summary>
    internal static async Task RegisteredAsync(PortalSite site, string number = PortalSite.ContractNumber, AuthenticationUnit unit = AuthenticationUnit.Line)
    {
        await LoginTests.SetPasswordAsync(site, unit, number);
        var state = await Otp(site).GetAsync(number, CancellationToken.None);
        var links = new List<string>();
        var result = await Otp(site).RegisterAsync(
            number, number, new OtpRegistration(Address, ConfirmationId, ConfirmationPassword, ConfirmationPassword), state.RowVersion,
            token => { links.Add(token); return "http://x/" + token; }, CancellationToken.None);
        Assert.Equal(OtpOutcome.Done, result.Outcome);
        Assert.Equal(OtpOutcome.Done, (await Otp(site).ConfirmAsync(links.Single(), CancellationToken.None)).Outcome);
    }

    private static async Task<PortalClient> FirstLoginAsync(PortalSite site)
    {
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, temporary);
        await client.ChangePasswordAsync(temporary, Password);
        return client;
    }

    private static async Task<PortalClient> SignedInAsync(PortalSite site)
    {
        var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, Password);
        var code = await SendCodeAsync(site, client, MailSink.Read(site).Count(m => m.Subject == OtpMails.CodeSubject) + 1);
        Assert.Equal("/", (await EnterCodeAsync(client, code)).Headers.Location?.OriginalString);
        return client;
    }

    private static async Task<HttpResponseMessage> ChooseUseAsync(PortalClient client)
    {
        await client.GetAsync("/Account/Otp/Choice");
        return await client.PostAsync("/Account/Otp/Choice", new Dictionary<string, string> { ["Usage"] = "use", ["FormVersion"] = client.FormVersion() });
    }

    private static async Task<HttpResponseMessage> RegisterAsync(PortalClient client, string address)
    {
        await client.GetAsync("/Account/Otp/Register");
        return await client.PostAsync("/Account/Otp/Register", new Dictionary<string, string>
        {
            ["Address"] = address,
            ["ConfirmationId"] = ConfirmationId,
            ["ConfirmationPassword"] = ConfirmationPassword,
            ["ConfirmationPasswordAgain"] = ConfirmationPassword,
            ["FormVersion"] = client.FormVersion(),
        });
    }

    private static Task<HttpResponseMessage> PostChangeAddressAsync(PortalClient client, string id, string secret, string address) =>
        client.PostAsync("/Account/Otp/ChangeAddress", new Dictionary<string, string>
        {
            ["ConfirmationId"] = id, ["ConfirmationPassword"] = secret, ["NewAddress"] = address, ["FormVersion"] = client.FormVersion(),
        });

    private static async Task ConfirmAsync(PortalSite site, string address)
    {
        var link = new Uri(MailSink.Link((await MailSink.WaitAsync(site, address, OtpMails.ConfirmationSubject))[^1]));
        using var reader = new PortalClient(site.BaseAddress);
        await reader.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync("/Account/Otp/Confirm", new Dictionary<string, string> { ["Token"] = reader.Field("Token") })).StatusCode);
    }

    /// <summary>Presses "send OTP" and returns the code of the <paramref name="nth"/> code mail.</summary>
    internal static async Task<string> SendCodeAsync(PortalSite site, PortalClient client, int nth, string to = Address)
    {
        await client.GetAsync(OtpGate.VerifyPage);
        var sent = await client.PostAsync("/Account/Otp/Verify?handler=Send", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var mails = await MailSink.WaitAsync(site, to, OtpMails.CodeSubject, nth);
        return MailSink.Code(mails[nth - 1]);
    }

    internal static async Task<HttpResponseMessage> EnterCodeAsync(PortalClient client, string code)
    {
        await client.GetAsync(OtpGate.VerifyPage);
        return await client.PostAsync("/Account/Otp/Verify?handler=Code", new Dictionary<string, string> { ["Code"] = code });
    }
}
