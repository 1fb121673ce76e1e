using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests;

/// <summary>
/// The lab's walkthrough end to end (BF-3, BF-5, FN-6, FN-7): real controller, real kamailio edge on the controller's
/// database, real agents registered at the edge, the destination phone, a real SMTP relay. A call to site 2's contract
/// number is answered by site 2; after its power cut and the failure mail (auto-start turned forwarding on) it is
/// answered by the destination, and its second line, which has no destination, is busy; after the recovery mail
/// (auto-stop) it is answered by site 2 again.
/// </summary>
[Trait("Ring", "e2e")]
public sealed class CallsFollowTheSwitchTests : IAsyncLifetime
{
    private const string FailureSubject = "着信異常検知のお知らせです";
    private const string RecoverySubject = "回復検知のお知らせです";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _work = new("gateway-e2e-calls-");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Walkthrough_CallsGoToTheSite_ToTheDestinationWhileItHasFailed_AndBackAfterTheRecovery()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var lab = await LabHarness.StartAsync(_work.Path, sites: 2, relay.Port);
        var (site, id) = lab.Sites[1];
        using var edge = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{lab.Options.EdgeRpcPort}"), Timeout = TimeSpan.FromSeconds(5) };
        await LabHarness.WaitForAsync(async () => (await lab.Api.GetStatusAsync(id, default))!, s => Is(s, "normal") && s.Live is { Online: true },
            Settle, "site 2 up and online");
        await LabHarness.WaitForAsync(() => RegisteredAsync(edge, site.SiteId), registered => registered, Settle, "site 2's agent registered at the edge");

        Assert.Equal($"call {site.ContractNumber}: answered by site 2", await lab.CallAsync(2, null, default));

        await lab.ExecuteAsync(new LabCommand("power", 2, On: false), new CancellationTokenSource());
        await relay.WaitReceivedAsync(1).WaitAsync(Settle);
        Assert.Equal(FailureSubject, Assert.Single(relay.Received).Subject);
        Assert.True((await lab.Api.GetStatusAsync(id, default))!.Forwarding.On, "auto-start (FN-6) turned bulk forwarding on");
        await WaitForEdgeForwardingAsync(edge, id, on: true);

        var answered = lab.Destination!.Answered;
        Assert.Equal($"call {site.ContractNumber}: answered by destination {site.Destination}", await lab.CallAsync(2, null, default));
        Assert.Equal(answered + 1, lab.Destination.Answered);
        Assert.Equal($"call {site.SecondNumber}: busy (486)", await lab.CallAsync(2, site.SecondNumber, default)); // BF-5: no destination
        // site 1 is not failed: its calls still reach it
        Assert.Equal($"call {lab.Sites[0].Site.ContractNumber}: answered by site 1", await lab.CallAsync(1, null, default));

        await lab.ExecuteAsync(new LabCommand("power", 2, On: true), new CancellationTokenSource());
        await relay.WaitReceivedAsync(2).WaitAsync(Settle);
        Assert.Equal([FailureSubject, RecoverySubject], relay.Received.Select(m => m.Subject));
        Assert.False((await lab.Api.GetStatusAsync(id, default))!.Forwarding.On, "auto-stop (FN-7) turned bulk forwarding off");
        await WaitForEdgeForwardingAsync(edge, id, on: false);

        Assert.Equal($"call {site.ContractNumber}: answered by site 2", await lab.CallAsync(2, null, default));
        Assert.Equal(answered + 1, lab.Destination.Answered);
    }

    private static bool Is(ContractStatus status, string detector) => status.Detector.State.Equals(detector, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The edge's own view of the switch (table ctr: "forwarding|channels|..."), read over its JSON-RPC: the controller
    /// pushes the change, and the call is placed only once the edge has it.
    /// </summary>
    private static Task WaitForEdgeForwardingAsync(HttpClient edge, long id, bool on) =>
        LabHarness.WaitForAsync(
            async () =>
            {
                using var reply = await RpcAsync(edge, "htable.get", "ctr", id.ToString(CultureInfo.InvariantCulture));
                return reply.RootElement.TryGetProperty("result", out var result) ? result.GetProperty("item").GetProperty("value").GetString() : null;
            },
            value => value?.Split('|')[0] == (on ? "1" : "0"), Settle, $"the edge's forwarding of contract {id} {(on ? "on" : "off")}");

    /// <summary>The site's agent has a contact in the edge's location table (it registered as its site id).</summary>
    private static async Task<bool> RegisteredAsync(HttpClient edge, string siteId)
    {
        using var reply = await RpcAsync(edge, "ul.lookup", "location", siteId);
        return reply.RootElement.TryGetProperty("result", out _);
    }

    private static async Task<JsonDocument> RpcAsync(HttpClient edge, string method, params string[] parameters)
    {
        // a StringContent: a body with its Content-Length (JsonContent would be sent chunked)
        using var body = new StringContent(JsonSerializer.Serialize(new { jsonrpc = "2.0", method, @params = parameters, id = 1 }), Encoding.UTF8, "application/json");
        using var response = await edge.PostAsync(new Uri("/RPC", UriKind.Relative), body);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
