using System.Net;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>SS-9 over real HTTP: each of the six changes of authentication unit (SS-1), the passwords it asks for and the passwords it leaves.</summary>
[Trait("Ring", "integration")]
public sealed class UnitChangeTests
{
    private const string Contract = PortalSite.ContractNumber;
    private const string Additional = PortalSite.Additional;
    private const string Monitoring = PortalSite.Monitoring;
    private const string ContractPassword = "Cq7kPq2x9Z";
    private const string AdditionalPassword = "Aw5nUa9xS3";
    private const string MonitoringPassword = "Mh4mTz8wR2";

    [Fact]
    public async Task Number_to_line_needs_every_password_then_the_contract_number_logs_in_with_the_password_used_SS_9()
    {
        await using var site = await PortalSite.StartAsync();
        await AllNumbersAsync(site, AuthenticationUnit.Number);
        using var client = await LogInAsync(site, Additional, AdditionalPassword);

        await client.GetAsync("/Account/Unit?to=Line");
        Assert.Contains(UnitChangeRules.Describe(UnitChangeOutcome.ActorsPassword), client.LastHtml, StringComparison.Ordinal);
        var wrong = await PostAsync(client, AuthenticationUnit.Line, (Contract, ContractPassword), (Additional, AdditionalPassword), (Monitoring, "Wrong1x9Z"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("パスワードが正しくありません（" + Monitoring, client.LastHtml, StringComparison.Ordinal);
        Assert.Equal(AuthenticationUnit.Number, (await Account(site, Contract)).Unit);

        var changed = await PostAsync(client, AuthenticationUnit.Line, (Contract, ContractPassword), (Additional, AdditionalPassword), (Monitoring, MonitoringPassword));

        Assert.Equal("/Account/Login", changed.Headers.Location?.OriginalString); // the additional number no longer logs in
        Assert.True(await CanLogInAsync(site, Contract, AdditionalPassword));
        Assert.False(await CanLogInAsync(site, Contract, ContractPassword));
        Assert.False(await CanLogInAsync(site, Additional, AdditionalPassword));
        Assert.Equal(AuthenticationUnit.Line, (await Account(site, Contract)).Unit);
    }

    [Fact]
    public async Task Number_to_admin_user_needs_every_password_and_each_number_keeps_its_own_SS_9()
    {
        await using var site = await PortalSite.StartAsync();
        await AllNumbersAsync(site, AuthenticationUnit.Number);
        using var client = await LogInAsync(site, Additional, AdditionalPassword);
        await client.GetAsync("/Account/Unit?to=AdminUser");

        var changed = await PostAsync(client, AuthenticationUnit.AdminUser, (Contract, ContractPassword), (Additional, AdditionalPassword), (Monitoring, MonitoringPassword));

        Assert.Equal("/", changed.Headers.Location?.OriginalString);
        Assert.True(await CanLogInAsync(site, Contract, ContractPassword));
        Assert.True(await CanLogInAsync(site, Additional, AdditionalPassword));
        Assert.True(await CanLogInAsync(site, Monitoring, MonitoringPassword));
        Assert.Equal(AuthenticationUnit.AdminUser, (await Account(site, Monitoring)).Unit);
    }

    [Fact]
    public async Task Line_to_number_gives_every_number_the_line_password_SS_9()
    {
        await using var site = await PortalSite.StartAsync();
        await SetAsync(site, AuthenticationUnit.Line, Contract, ContractPassword);
        using var client = await LogInAsync(site, Contract, ContractPassword);
        await client.GetAsync("/Account/Unit?to=Number");

        var wrong = await PostAsync(client, AuthenticationUnit.Number, (Contract, "Wrong1x9Z"));
        Assert.Contains("パスワードが正しくありません", client.LastHtml, StringComparison.Ordinal);
        var changed = await PostAsync(client, AuthenticationUnit.Number, (Contract, ContractPassword));

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal("/", changed.Headers.Location?.OriginalString);
        foreach (var number in new[] { Contract, Additional, Monitoring })
        {
            Assert.True(await CanLogInAsync(site, number, ContractPassword), number);
        }
    }

    [Fact]
    public async Task Line_to_admin_user_keeps_the_line_password_and_numbers_without_one_need_a_temporary_password_SS_9()
    {
        await using var site = await PortalSite.StartAsync();
        await SetAsync(site, AuthenticationUnit.Line, Contract, ContractPassword);
        using var client = await LogInAsync(site, Contract, ContractPassword);
        await client.GetAsync("/Account/Unit?to=AdminUser");
        Assert.Contains(UnitChangeRules.Describe(UnitChangeOutcome.NeedsTemporaryPassword), client.LastHtml, StringComparison.Ordinal);

        var changed = await PostAsync(client, AuthenticationUnit.AdminUser, (Contract, ContractPassword));

        Assert.Equal("/", changed.Headers.Location?.OriginalString);
        Assert.True(await CanLogInAsync(site, Contract, ContractPassword));
        Assert.False(await CanLogInAsync(site, Additional, ContractPassword));
        await SetAsync(site, AuthenticationUnit.AdminUser, Additional, AdditionalPassword); // the IVR now takes the admin/user unit
        Assert.True(await CanLogInAsync(site, Additional, AdditionalPassword));
    }

    [Fact]
    public async Task Admin_user_to_number_only_from_the_contract_number_and_each_keeps_its_password_SS_9()
    {
        await using var site = await PortalSite.StartAsync();
        await SetAsync(site, AuthenticationUnit.AdminUser, Contract, ContractPassword);
        await SetAsync(site, AuthenticationUnit.AdminUser, Additional, AdditionalPassword);
        using var user = await LogInAsync(site, Additional, AdditionalPassword);
        await user.GetAsync("/Account/Unit?to=Number");
        Assert.Contains(UnitChangeRules.AdminOnlyRefusal, user.LastHtml, StringComparison.Ordinal);
        var refused = await PostAsync(user, AuthenticationUnit.Number, (Additional, AdditionalPassword), version: "1");
        Assert.Equal(AuthenticationUnit.AdminUser, (await Account(site, Additional)).Unit);

        using var admin = await LogInAsync(site, Contract, ContractPassword);
        await admin.GetAsync("/Account/Unit?to=Number");
        var changed = await PostAsync(admin, AuthenticationUnit.Number, (Contract, ContractPassword));

        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/", changed.Headers.Location?.OriginalString);
        Assert.True(await CanLogInAsync(site, Contract, ContractPassword));
        Assert.True(await CanLogInAsync(site, Additional, AdditionalPassword));
        Assert.Equal(AuthenticationUnit.Number, (await Account(site, Additional)).Unit);
    }

    [Fact]
    public async Task Admin_user_to_line_keeps_the_contract_password_and_invalidates_the_others_ending_their_sessions_SS_9()
    {
        await using var site = await PortalSite.StartAsync();
        await SetAsync(site, AuthenticationUnit.AdminUser, Contract, ContractPassword);
        await SetAsync(site, AuthenticationUnit.AdminUser, Additional, AdditionalPassword);
        using var user = await LogInAsync(site, Additional, AdditionalPassword);
        using var admin = await LogInAsync(site, Contract, ContractPassword);
        await admin.GetAsync("/Account/Unit?to=Line");

        var changed = await PostAsync(admin, AuthenticationUnit.Line, (Contract, ContractPassword));

        Assert.Equal("/", changed.Headers.Location?.OriginalString);
        Assert.True(await CanLogInAsync(site, Contract, ContractPassword));
        Assert.False(await CanLogInAsync(site, Additional, AdditionalPassword));
        Assert.True((await Account(site, Additional)).PasswordInvalidated);
        Assert.Equal(HttpStatusCode.Redirect, (await user.GetAsync("/")).StatusCode); // the user's session ended
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Contract/Forwarding")).StatusCode);
    }

    [Fact]
    public async Task A_form_shown_before_another_account_changed_is_refused_SS_9_SS_11()
    {
        await using var site = await PortalSite.StartAsync();
        await SetAsync(site, AuthenticationUnit.AdminUser, Contract, ContractPassword);
        await SetAsync(site, AuthenticationUnit.AdminUser, Additional, AdditionalPassword);
        using var admin = await LogInAsync(site, Contract, ContractPassword);
        await admin.GetAsync("/Account/Unit?to=Line");
        var version = admin.FormVersion();
        using var user = await LogInAsync(site, Additional, AdditionalPassword);
        await user.ChangePasswordAsync(AdditionalPassword, "Zx8vBn5mQ2");

        var stale = await PostAsync(admin, AuthenticationUnit.Line, (Contract, ContractPassword), version: version);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(AuthenticationUnit.AdminUser, (await Account(site, Contract)).Unit);
    }

    private static async Task<PortalAccount> Account(PortalSite site, string number) =>
        (await site.Services.GetRequiredService<PortalAccountStore>().FindAsync(number, CancellationToken.None))!;

    private static async Task<bool> CanLogInAsync(PortalSite site, string number, string password) =>
        (await site.Services.GetRequiredService<PortalAccountStore>().LoginAsync(number, password, CancellationToken.None)).Succeeded;

    private static async Task AllNumbersAsync(PortalSite site, AuthenticationUnit unit)
    {
        await SetAsync(site, unit, Contract, ContractPassword);
        await SetAsync(site, unit, Additional, AdditionalPassword);
        await SetAsync(site, unit, Monitoring, MonitoringPassword);
    }

    /// <summary>A temporary password by the IVR, the change to <paramref name="password"/>, and the OTP declined.</summary>
    private static async Task SetAsync(PortalSite site, AuthenticationUnit unit, string number, string password)
    {
        var temporary = await site.IssueTemporaryPasswordAsync(unit, number);
        var store = site.Services.GetRequiredService<PortalAccountStore>();
        var account = (await store.LoginAsync(number, temporary, CancellationToken.None)).Account!;
        var changed = await store.ChangePasswordAsync(new PasswordChange(number, number, temporary, password, password, account.RowVersion), CancellationToken.None);
        Assert.Equal(PasswordChangeOutcome.Changed, changed.Outcome);
        await LoginTests.DeclineOtpAsync(site, number);
    }

    private static async Task<PortalClient> LogInAsync(PortalSite site, string number, string password)
    {
        var client = new PortalClient(site.BaseAddress);
        Assert.Equal("/", (await client.LoginAsync(number, password)).Headers.Location?.OriginalString);
        return client;
    }

    private static Task<HttpResponseMessage> PostAsync(
        PortalClient client, AuthenticationUnit to, (string Number, string Password) first, params (string Number, string Password)[] more) =>
        PostAsync(client, to, [first, .. more], null);

    private static Task<HttpResponseMessage> PostAsync(PortalClient client, AuthenticationUnit to, (string Number, string Password) only, string? version) =>
        PostAsync(client, to, [only], version);

    private static Task<HttpResponseMessage> PostAsync(
        PortalClient client, AuthenticationUnit to, IEnumerable<(string Number, string Password)> passwords, string? version)
    {
        var fields = passwords.ToDictionary(p => $"Passwords[{p.Number}]", p => p.Password);
        fields["To"] = to.ToString();
        fields["FormVersion"] = version ?? client.FormVersion();
        return client.PostAsync("/Account/Unit", fields);
    }
}
