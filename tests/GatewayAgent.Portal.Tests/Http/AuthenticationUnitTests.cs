using System.Net;
using System.Text.RegularExpressions;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Portal.Tests.Http;

/// <summary>
/// SS-1 on the site: each unit's login sees, and gets, the numbers the unit gives it — the line unit's contract number
/// all of them, a number-unit login its own number only, the admin/user unit's admin all of them and a user only itself.
/// </summary>
[Trait("Ring", "integration")]
public sealed partial class AuthenticationUnitTests
{
    private const string Password = "Gw7kPq2x9Z";
    private static readonly string[] All = [PortalSite.ContractNumber, PortalSite.Additional, PortalSite.Monitoring];

    [Theory]
    [InlineData(AuthenticationUnit.Line, PortalSite.ContractNumber, true)]
    [InlineData(AuthenticationUnit.Number, PortalSite.ContractNumber, false)]
    [InlineData(AuthenticationUnit.Number, PortalSite.Additional, false)]
    [InlineData(AuthenticationUnit.AdminUser, PortalSite.ContractNumber, true)]
    [InlineData(AuthenticationUnit.AdminUser, PortalSite.Additional, false)]
    public async Task Each_units_login_manages_the_numbers_SS_1_gives_it(AuthenticationUnit unit, string login, bool managesAll)
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, unit, login);
        using var client = new PortalClient(site.BaseAddress);
        await client.LoginAsync(login, Password);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        var listed = ManagedList().Match(client.LastHtml);
        Assert.True(listed.Success, client.LastHtml);
        var numbers = listed.Groups["number"].Captures.Select(c => c.Value).ToArray();
        Assert.Equal(managesAll ? All : [login], numbers);

        // The same scope on the server: the one-time-password CSV of every number is only for a login managing them all.
        var csv = await client.GetAsync("/Account/Otp/Bulk");
        Assert.Equal(managesAll ? HttpStatusCode.OK : HttpStatusCode.Forbidden, csv.StatusCode);
    }

    [Fact]
    public async Task The_line_unit_logs_in_with_the_contract_number_only_SS_1()
    {
        await using var site = await PortalSite.StartAsync();
        await LoginTests.SetPasswordAsync(site, AuthenticationUnit.Line, PortalSite.ContractNumber);
        using var client = new PortalClient(site.BaseAddress);

        var login = await client.LoginAsync(PortalSite.Additional, Password);

        Assert.NotEqual(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode); // still not logged in
    }

    [GeneratedRegex(@"<h2>設定できる電話番号</h2>\s*<ul>\s*(?:<li>(?<number>\d+)</li>\s*)*</ul>")]
    private static partial Regex ManagedList();
}
