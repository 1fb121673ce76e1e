using System.Net;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Portal.Forms;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>Authorisation by direct URL (SS-2), antiforgery, stale forms, idle and explicit logout (SS-11), the admin (SS-10).</summary>
[Trait("Ring", "integration")]
public sealed class SessionTests
{
    private const string Password = "Gw7kPq2x9Z";

    [Fact]
    public async Task An_additional_numbers_login_gets_403_on_the_contracts_pages_by_direct_URL_SS_2()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Number, PortalSite.Additional);
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Number, PortalSite.ContractNumber);
        using var additional = new PortalClient(site.BaseAddress);
        using var contract = new PortalClient(site.BaseAddress);
        await additional.LoginAsync(PortalSite.Additional, Password);
        await contract.LoginAsync(PortalSite.ContractNumber, Password);

        Assert.Equal(HttpStatusCode.OK, (await additional.GetAsync("/")).StatusCode);
        Assert.DoesNotContain("/Contract/Forwarding", additional.LastHtml, StringComparison.Ordinal); // the menu hides it...
        foreach (var path in new[] { "/Contract/Forwarding", "/Contract/Notification" })
        {
            var page = await additional.GetAsync(path); // ...and the server refuses it anyway
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("権限がありません", additional.LastHtml, StringComparison.Ordinal);
            var post = await additional.PostAsync(path, new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await contract.GetAsync(path)).StatusCode);
            Assert.Contains(path.EndsWith("Forwarding", StringComparison.Ordinal) ? "09012345678" : "ops@example.jp", contract.LastHtml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_admin_user_units_user_gets_403_and_the_admin_changes_the_users_password_SS_2_SS_10()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.AdminUser, PortalSite.ContractNumber);
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.AdminUser, PortalSite.Additional);
        using var user = new PortalClient(site.BaseAddress);
        using var admin = new PortalClient(site.BaseAddress);
        await user.LoginAsync(PortalSite.Additional, Password);
        await admin.LoginAsync(PortalSite.ContractNumber, Password);

        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/Contract/Forwarding")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/Account/ChangePassword?number=" + PortalSite.ContractNumber)).StatusCode);

        var changed = await admin.ChangePasswordAsync(Password, "Hq4mTz8wR2", target: PortalSite.Additional);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        using var again = new PortalClient(site.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await again.LoginAsync(PortalSite.Additional, "Hq4mTz8wR2")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await user.GetAsync("/")).StatusCode); // the user's old session ended with its password
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        await client.GetAsync("/Account/Login");
        var login = await client.PostAsync(
            "/Account/Login", new Dictionary<string, string> { ["Number"] = PortalSite.ContractNumber, ["Password"] = Password }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);

        await client.LoginAsync(PortalSite.ContractNumber, Password);
        await client.GetAsync("/Account/ChangePassword");
        var version = client.FormVersion();
        var forged = await client.PostAsync("/Account/ChangePassword", new Dictionary<string, string>
        {
            ["Target"] = PortalSite.ContractNumber, ["CurrentPassword"] = Password, ["NewPassword"] = "Hq4mTz8wR2",
            ["ConfirmPassword"] = "Hq4mTz8wR2", ["FormVersion"] = version,
        }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var logout = await client.PostAsync("/Account/Logout", new Dictionary<string, string>(), withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);

        using var check = new PortalClient(site.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await check.LoginAsync(PortalSite.ContractNumber, Password)).StatusCode); // unchanged
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode); // and still logged in
    }

    [Fact]
    public async Task A_form_from_an_older_page_is_refused_with_a_clear_message_SS_11()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, Password);

        await client.GetAsync("/Account/ChangePassword"); // the first window
        var firstVersion = client.FormVersion();
        var firstToken = client.Token!;
        var second = await client.ChangePasswordAsync(Password, "Hq4mTz8wR2"); // the second window, shown and saved
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        var stale = await client.PostChangeAsync("Hq4mTz8wR2", "Jr5nUa9xS3", firstVersion, PortalSite.ContractNumber, token: firstToken);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(VersionedFormPageModel.StaleFormMessage, client.LastHtml, StringComparison.Ordinal);
        Assert.NotEqual(firstVersion, client.FormVersion()); // the page now carries the current version
        using var check = new PortalClient(site.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await check.LoginAsync(PortalSite.ContractNumber, "Hq4mTz8wR2")).StatusCode);
    }

    [Fact]
    public async Task An_idle_session_is_logged_out_and_an_active_one_is_not_SS_11()
    {
        await using var site = await PortalSite.StartAsync(new Dictionary<string, string> { ["Portal:IdleTimeout"] = "00:15:00" });
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, Password);

        for (var i = 0; i < 4; i++)
        {
            site.Time.Advance(TimeSpan.FromMinutes(14)); // 56 minutes in all, never 15 idle
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }

        site.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var idle = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
        Assert.StartsWith("/Account/Login", idle.Headers.Location?.PathAndQuery(), StringComparison.Ordinal);
        Assert.Contains("ended=1", idle.Headers.Location?.OriginalString, StringComparison.Ordinal);
        await client.GetAsync(idle.Headers.Location!.OriginalString);
        Assert.Contains("一定時間操作がなかった", client.LastHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ends_the_session_SS_11()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, Password);
        var cookie = client.Cookies.GetCookies(site.BaseAddress)["gw-portal"]!.Value;

        await client.GetAsync("/");
        var logout = await client.PostAsync("/Account/Logout", new Dictionary<string, string>());
        Assert.Equal("/Account/Login", logout.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        Assert.NotNull(cookie);
    }

    [Fact]
    public async Task A_session_issued_by_one_node_is_read_by_another_sharing_the_keys()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(PortalSite.ContractNumber, Password);

        await site.RestartAsync(); // a new process: only the persisted key ring can read the cookie

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var keys = Path.Combine(site.Directory, "portal-keys");
        Assert.True(Directory.EnumerateFiles(keys, "key-*.xml").Any());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys)); // owner only
        }
    }
}
