using System.Net;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Pages.Account;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>Login, the forced change and the lockout over real HTTP (SS-4, SS-5, SS-6, SS-10).</summary>
[Trait("Ring", "integration")]
public sealed class LoginTests
{
    private const string Password = "Gw7kPq2x9Z";

    [Fact]
    public async Task A_temporary_password_forces_the_change_before_anything_else_then_the_new_password_logs_in_SS_4_SS_10()
    {
        await using var site = await PortalSite.StartAsync();
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        var login = await client.LoginAsync(PortalSite.ContractNumber, temporary);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
        foreach (var path in new[] { "/", "/Contract/Forwarding", "/Contract/Notification" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/Account/ChangePassword", page.Headers.Location?.OriginalString);
        }

        var change = await client.GetAsync("/Account/ChangePassword");
        Assert.Contains("仮パスワードでログインしました", client.LastHtml, StringComparison.Ordinal);
        var changed = await client.PostChangeAsync(temporary, Password, client.FormVersion(), PortalSite.ContractNumber);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var choice = await client.GetAsync("/"); // SS-7: the one-time-password choice comes next
        Assert.Equal("/Account/Otp/Choice", choice.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.DeclineOtpAsync()).StatusCode);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);

        using var other = new PortalClient(site.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await other.LoginAsync(PortalSite.ContractNumber, Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/Contract/Forwarding")).StatusCode);
    }

    [Fact]
    public async Task The_change_page_shows_each_broken_rule_in_Japanese_SS_5()
    {
        await using var site = await PortalSite.StartAsync();
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, temporary);

        var refused = await client.ChangePasswordAsync(temporary, "x1234" + PortalSite.ContractNumber[..3]);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(PasswordPolicy.Message(PasswordBreach.Sequence), client.LastHtml, StringComparison.Ordinal);
        var mismatch = await client.ChangePasswordAsync(temporary, Password, confirm: Password + "x");
        Assert.Contains("一致しません", client.LastHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_wrong_passwords_lock_the_login_and_the_lock_holds_after_a_restart_SS_6()
    {
        await using var site = await PortalSite.StartAsync();
        await SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        for (var i = 0; i < LockoutRules.MaxWrongPasswords; i++)
        {
            var wrong = await client.LoginAsync(PortalSite.ContractNumber, $"Wrong{i}x9Z");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains(LoginModel.FailedMessage, client.LastHtml, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(PortalSite.ContractNumber, Password)).StatusCode);
        await site.RestartAsync();
        using var afterRestart = new PortalClient(site.BaseAddress);
        var refused = await afterRestart.LoginAsync(PortalSite.ContractNumber, Password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(LoginModel.FailedMessage, afterRestart.LastHtml, StringComparison.Ordinal);

        // SS-6: recovery is a new temporary password by phone.
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber, "61736290");
        Assert.Equal("/Account/ChangePassword", (await afterRestart.LoginAsync(PortalSite.ContractNumber, temporary)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Three_wrong_temporary_passwords_invalidate_it_SS_6()
    {
        await using var site = await PortalSite.StartAsync();
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        for (var i = 0; i < LockoutRules.MaxWrongTemporaryPasswords; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(PortalSite.ContractNumber, "1111000" + i)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(PortalSite.ContractNumber, temporary)).StatusCode);
        Assert.Contains(LoginModel.FailedMessage, client.LastHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_temporary_password_expires_after_24_hours_SS_6()
    {
        await using var site = await PortalSite.StartAsync();
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        site.Time.Advance(TimeSpan.FromHours(24));
        var refused = await client.LoginAsync(PortalSite.ContractNumber, temporary);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(LoginModel.FailedMessage, client.LastHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_older_than_60_days_forces_a_change_SS_5_SS_4()
    {
        await using var site = await PortalSite.StartAsync();
        await SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        site.Time.Advance(PasswordPolicy.Validity);
        var login = await client.LoginAsync(PortalSite.ContractNumber, Password);

        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
        Assert.Equal("/Account/ChangePassword", (await client.GetAsync("/")).Headers.Location?.OriginalString);
        await client.GetAsync("/Account/ChangePassword");
        Assert.Contains("有効期限（60日）が過ぎました", client.LastHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_with_hyphens_is_refused_with_the_rule_SS_4()
    {
        await using var site = await PortalSite.StartAsync();
        using var client = new PortalClient(site.BaseAddress);

        await client.LoginAsync("03-1234-5678", Password);

        Assert.Contains("ハイフンなし", client.LastHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_number_costs_the_same_hash_work_as_a_wrong_password_SS_6()
    {
        var hasher = new CountingPasswordHasher();
        await using var site = await PortalSite.StartAsync(configure: builder => builder.Services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<string>>(hasher));
        await SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        var credentials = site.Services.GetRequiredService<CredentialHasher>();
        using var client = new PortalClient(site.BaseAddress);

        var unknown = await WorkAsync(() => client.LoginAsync("0399999999", Password));
        var wrong = await WorkAsync(() => client.LoginAsync(PortalSite.ContractNumber, "Wrong0x9Z"));
        await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber); // now a password and a temporary one
        var both = await WorkAsync(() => client.LoginAsync(PortalSite.ContractNumber, "Wrong1x9Z"));

        Assert.Equal(1, unknown); // one PBKDF2 derivation per login, the dummy hash's for an unknown number
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, both);
        Assert.Equal(0, hasher.Verifications); // all of them in the V3 format, none left to the framework's verifier

        async Task<long> WorkAsync(Func<Task> login)
        {
            var before = credentials.Derivations;
            await login();
            return credentials.Derivations - before;
        }
    }

    [Fact]
    public async Task A_number_holding_a_password_and_a_temporary_password_logs_in_with_either_SS_3_SS_4()
    {
        await using var site = await PortalSite.StartAsync();
        await SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        var temporary = await site.IssueTemporaryPasswordAsync(AuthenticationUnit.Line, PortalSite.ContractNumber);
        var store = site.Services.GetRequiredService<PortalAccountStore>();

        var withPassword = await store.LoginAsync(PortalSite.ContractNumber, Password, CancellationToken.None);
        var withTemporary = await store.LoginAsync(PortalSite.ContractNumber, temporary, CancellationToken.None);

        Assert.True(withPassword.Succeeded);
        Assert.Null(withPassword.MustChange);
        Assert.True(withTemporary.Succeeded);
        Assert.Equal(PasswordChangeReason.Temporary, withTemporary.MustChange);
    }

    [Fact]
    public async Task Failed_logins_are_throttled_per_client_SS_6()
    {
        await using var site = await PortalSite.StartAsync(new Dictionary<string, string> { ["Portal:LoginAttemptsPerMinute"] = "3" });
        using var client = new PortalClient(site.BaseAddress);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(PortalSite.ContractNumber, $"Wrong{i}x9Z")).StatusCode);
        }

        var throttled = await client.LoginAsync(PortalSite.ContractNumber, "Wrong9x9Z");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("試行が多すぎます", client.LastHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode); // the page itself stays open
    }

    /// <summary>A customer's first use: a temporary password by phone, then the change to <see cref="Password"/>.</summary>
    internal static async Task SetPasswordAsync(PortalSite site, AuthenticationUnit unit, string number)
    {
        var temporary = await site.IssueTemporaryPasswordAsync(unit, number);
        var store = site.Services.GetRequiredService<PortalAccountStore>();
        var account = (await store.LoginAsync(number, temporary, CancellationToken.None)).Account!;
        var changed = await store.ChangePasswordAsync(new PasswordChange(number, number, temporary, Password, Password, account.RowVersion), CancellationToken.None);
        Assert.Equal(PasswordChangeOutcome.Changed, changed.Outcome);
        await DeclineOtpAsync(site, number);
    }

    /// <summary>SS-7: the number's choice not to use the one-time password (with the agree), as the choice page makes it.</summary>
    internal static async Task DeclineOtpAsync(PortalSite site, string number)
    {
        var otp = site.Services.GetRequiredService<OtpStore>();
        var state = await otp.GetAsync(number, CancellationToken.None);
        Assert.Equal(OtpOutcome.Done, (await otp.SetUsageAsync(number, number, OtpUsage.NotUsed, agreed: true, state.RowVersion, CancellationToken.None)).Outcome);
    }
}
