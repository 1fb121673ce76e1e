using System.Net;
using System.Text.RegularExpressions;
using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests.Lab;

/// <summary>
/// The lab's settings site (issue 11): gateway-portal next to the controller on the same database, at --portal-port,
/// with each site's login number and a temporary password printed at start, which log in at once (SS-3, SS-4).
/// </summary>
[Trait("Ring", "e2e")]
public sealed partial class LabPortalTests : IAsyncLifetime
{
    private readonly TempDirectory _work = new("gateway-e2e-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_printed_temporary_password_logs_in_at_the_portal_port_and_forces_the_change_SS_3_SS_4()
    {
        await using var output = new StringWriter();
        await using var lab = await LabHarness.StartAsync(_work.Path, sites: 1, FreePort.Next(), TextWriter.Synchronized(output));

        var printed = LoginLine().Match(output.ToString());
        Assert.True(printed.Success, output.ToString());
        Assert.Equal(lab.PortalUrl, printed.Groups["url"].Value);
        Assert.Equal("0310000001", printed.Groups["number"].Value);

        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(lab.PortalUrl) };
        var page = await http.GetStringAsync("Account/Login");
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        using var login = await http.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Number"] = printed.Groups["number"].Value,
            ["Password"] = printed.Groups["password"].Value,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/Account/ChangePassword", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_access_number_reaches_the_controllers_IVR_through_the_edge_from_a_sites_number_SS_3()
    {
        await using var output = new StringWriter();
        await using var lab = await LabHarness.StartAsync(_work.Path, sites: 1, FreePort.Next(), TextWriter.Synchronized(output));

        Assert.Contains($"temporary-password IVR (SS-3): call {LabOptions.AccessNumber} at the edge", output.ToString(), StringComparison.Ordinal);
        Assert.Equal($"call {LabOptions.AccessNumber}: answered by the IVR", await lab.CallAsync(1, LabOptions.AccessNumber, default));
        var log = Path.Combine(_work.Path, "logs", "controller.log");
        await LabHarness.WaitForAsync(() => Task.FromResult(File.ReadAllText(log)),
            text => text.Contains("calling line 0310000001 asserted", StringComparison.Ordinal) && text.Contains("prompt welcome", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the IVR's log of the call");
    }

    [GeneratedRegex(@"site 1: log in at (?<url>\S+) with (?<number>\d+) and the temporary password (?<password>\d{8}) ")]
    private static partial Regex LoginLine();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
