using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>
/// Calls follow the switch (docs/routing.md): real calls through the real edge (kamailio with the repository's
/// config), its tables kept by the real controller. BF-1 (one switch, every number), BF-3, BF-5, BF-6, BF-7, BF-10;
/// the monitoring number (FN-3, FN-7).
/// </summary>
[Trait("Ring", "integration")]
public sealed class EdgeRoutingTests
{
    [Fact]
    public async Task ForwardingOff_EveryNumberOfTheContract_ReachesTheSite()
    {
        await using var lab = await EdgeLab.StartAsync();
        await lab.CreateContractAsync();

        foreach (var number in new[] { EdgeLab.ContractNumber, EdgeLab.PlainNumber, EdgeLab.MonitoringNumber })
        {
            var call = await lab.Caller.CallAsync(lab.Edge.Port, number);
            Assert.Equal(200, call.Status);
            Assert.Equal("site", call.AnsweredBy);
        }

        var invites = await lab.Site.WaitForInvitesAsync(3, TimeSpan.FromSeconds(5));
        Assert.Contains(invites, i => i.StartsWith($"INVITE sip:{EdgeLab.ContractNumber}@", StringComparison.Ordinal));
        Assert.Contains(invites, i => i.StartsWith($"INVITE sip:{EdgeLab.PlainNumber}@", StringComparison.Ordinal));
        Assert.Empty(lab.Destination.Invites);
    }

    [Fact]
    public async Task ForwardingOn_GoesUnconditionallyToTheDestination_WithDiversion_AndTheSiteDoesNotRing()
    {
        // BF-3
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        await lab.SwitchAsync(contract.Id, on: true);

        var call = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber);

        Assert.Equal(200, call.Status);
        Assert.Equal("destination", call.AnsweredBy);
        var invite = Assert.Single(await lab.Destination.WaitForInvitesAsync(1, TimeSpan.FromSeconds(5)));
        Assert.StartsWith($"INVITE sip:{EdgeLab.DestinationNumber}@127.0.0.1:{lab.Destination.Port} ", invite, StringComparison.Ordinal);
        var diversion = Assert.Single(SipPhone.Headers(invite, "Diversion"));
        Assert.Contains($"<sip:{EdgeLab.ContractNumber}@", diversion, StringComparison.Ordinal);
        Assert.Contains("reason=unconditional", diversion, StringComparison.Ordinal);
        Assert.Empty(lab.Site.Invites);
    }

    [Fact]
    public async Task ForwardingOn_NumberWithoutDestination_IsBusy_AndNotDeliveredToTheSite()
    {
        // BF-5
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        await lab.SwitchAsync(contract.Id, on: true);

        var call = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber);

        Assert.Equal(486, call.Status);
        Assert.Empty(lab.Site.Invites);
        Assert.Empty(lab.Destination.Invites);
    }

    [Fact]
    public async Task ForwardingOn_TheMonitoringNumber_IsNeverForwardedOrBusied_AndTheProbeThroughTheEdgeReachesTheSite()
    {
        // FN-3, FN-7: a probe always reaches the site; a busy here would read as "reached" and auto-stop forwarding
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync(channels: 1);
        await lab.SwitchAsync(contract.Id, on: true);
        // the only channel busy with a forwarded call: still no busy for the probe
        var forwarded = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, stayUp: true);
        Assert.Equal(200, forwarded.Status);

        await using var dialer = new SipProbeDialer(Options.Create(new ProbingOptions()), TimeProvider.System, NullLoggerFactory.Instance);
        await dialer.StartAsync(CancellationToken.None);
        var target = new ProbeTarget(contract.Id, contract.ProbeTarget!, EdgeLab.MonitoringNumber, $"udp:127.0.0.1:{lab.Edge.Port}", null, null);
        var probe = await dialer.DialAsync(target, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(200, probe.FinalStatus);
        Assert.Equal(ProbeOutcome.Reached, ProbeClassifier.Classify(probe).Outcome);
        Assert.Contains(await lab.Site.WaitForInvitesAsync(1, TimeSpan.FromSeconds(5)), i => i.StartsWith($"INVITE sip:{EdgeLab.MonitoringNumber}@", StringComparison.Ordinal));
        Assert.Single(lab.Destination.Invites);
        await forwarded.HangUpAsync();
    }

    [Fact]
    public async Task ChannelLimit_ForwardedCallsStayWithinTheContractsChannels_AndBye_Cancel_AndTimeoutFreeAChannel()
    {
        // BF-6; FR_TIMER short so an unanswered destination times out (408) within the test
        await using var lab = await EdgeLab.StartAsync(new Dictionary<string, string> { ["FR_TIMER"] = "1000", ["FR_INV_TIMER"] = "2000" });
        var contract = await lab.CreateContractAsync(channels: 2, destinations:
            [new DestinationEntry(EdgeLab.ContractNumber, EdgeLab.DestinationNumber), new DestinationEntry(EdgeLab.PlainNumber, "09087654321")]);
        await lab.SwitchAsync(contract.Id, on: true);

        var first = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, stayUp: true);
        var second = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber, stayUp: true);
        var third = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber);
        Assert.Equal([200, 200, 486], new[] { first.Status, second.Status, third.Status });
        Assert.Equal(2, lab.Destination.Invites.Count);

        // BYE frees a channel
        Assert.Equal(200, await first.HangUpAsync());
        var afterBye = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, stayUp: true);
        Assert.Equal(200, afterBye.Status);
        Assert.Equal(486, (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).Status);

        // a ringing call holds a channel; CANCEL frees it
        await afterBye.HangUpAsync();
        lab.Destination.Mode = PhoneMode.Ring;
        var cancelled = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, cancelOnRinging: true);
        Assert.Equal(487, cancelled.Status);

        // an unanswered call (no response at all) times out with 408 and frees its channel
        lab.Destination.Mode = PhoneMode.Silent;
        var timedOut = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, timeout: TimeSpan.FromSeconds(15));
        Assert.Equal(408, timedOut.Status);

        // with one call still up (second), exactly one more fits
        lab.Destination.Mode = PhoneMode.Answer;
        var again = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, stayUp: true);
        Assert.Equal(200, again.Status);
        Assert.Equal(486, (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).Status);
        await again.HangUpAsync();
        await second.HangUpAsync();
    }

    [Fact]
    public async Task HopLimit_ACallForwardedFiveTimesAlready_IsBusy_AndTheFifthForwardingGoesThrough()
    {
        // BF-7: Diversion entries counted across header lines and comma-separated values
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        await lab.SwitchAsync(contract.Id, on: true);
        var four = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, ["Diversion: <sip:0311110001@a.example>;reason=unconditional, <sip:0311110002@a.example>;reason=unconditional", "Diversion: <sip:0311110003@a.example>;reason=unconditional,<sip:0311110004@a.example>;reason=user-busy"]);
        var five = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, ["Diversion: <sip:0311110001@a.example>;reason=unconditional, <sip:0311110002@a.example>;reason=unconditional", "Diversion: <sip:0311110003@a.example>;reason=unconditional", "Diversion: <sip:0311110004@a.example>;reason=unconditional, <sip:0311110005@a.example>;reason=unconditional"]);

        Assert.Equal(200, four.Status);
        var forwarded = Assert.Single(lab.Destination.Invites);
        Assert.Equal(5, SipPhone.Headers(forwarded, "Diversion").Sum(h => h.Count(c => c == '<')));
        Assert.Equal(486, five.Status);
        Assert.Single(lab.Destination.Invites);
    }

    [Fact]
    public async Task RejectAnonymous_AnAnonymousCaller_Gets433_NeitherDeliveredNorForwarded()
    {
        // BF-10 Number Request, RFC 5079
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        await lab.SetScreeningAsync(contract.Id, rejectAnonymous: true, nuisance: []);

        var anonymousFrom = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, fromUser: "anonymous", fromHost: "anonymous.invalid");
        var privacyId = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber, ["Privacy: id"]);
        await lab.SwitchAsync(contract.Id, on: true);
        var forwardedAnonymous = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, fromUser: "anonymous", fromHost: "anonymous.invalid");
        var named = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber);

        Assert.Equal([433, 433, 433, 200], new[] { anonymousFrom.Status, privacyId.Status, forwardedAnonymous.Status, named.Status });
        Assert.Empty(lab.Site.Invites);
        Assert.Single(lab.Destination.Invites);
    }

    [Fact]
    public async Task NuisanceCaller_Gets603_NeitherDeliveredNorForwarded_OtherCallersAreNot()
    {
        // BF-10 nuisance-call rejection
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        await lab.SetScreeningAsync(contract.Id, rejectAnonymous: false, nuisance: ["0366660000"]);

        var delivered = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, fromUser: "+81366660000");
        await lab.SwitchAsync(contract.Id, on: true);
        var forwarded = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, fromUser: "0366660000");
        var other = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber, fromUser: "0377770000");
        // FN-12: nuisance rejection wins even on the monitoring number (hence: never list the probe caller)
        var monitoring = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.MonitoringNumber, fromUser: "0366660000");

        Assert.Equal([603, 603, 200, 603], new[] { delivered.Status, forwarded.Status, other.Status, monitoring.Status });
        Assert.Empty(lab.Site.Invites);
        Assert.Single(lab.Destination.Invites);
    }

    [Fact]
    public async Task Switch_DestinationChange_ContractAddedAndDeleted_TakeEffectAtTheEdgeInUnderASecond()
    {
        await using var lab = await EdgeLab.StartAsync();
        // each time is from the API's answer (the change committed) to the edge routing by it
        var contract = await lab.CreateContractAsync();
        Assert.True(lab.LastPushTime < TimeSpan.FromSeconds(1), $"contract added: {lab.LastPushTime}");

        var on = await lab.SwitchAsync(contract.Id, on: true);
        Assert.True(on < TimeSpan.FromSeconds(1), $"switch on: {on}");
        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);

        var put = await lab.Api.PutAsJsonAsync($"/api/contracts/{contract.Id}/destinations/{EdgeLab.ContractNumber}", new DestinationRequest("080-1111-2222"));
        var watch = Stopwatch.StartNew();
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        await lab.WaitForEdgeAsync(EdgeTable.Numbers, EdgeLab.ContractNumber, v => v?.Contains("|08011112222|", StringComparison.Ordinal) == true);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"destination change: {watch.Elapsed}");
        await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber);
        Assert.StartsWith("INVITE sip:08011112222@", lab.Destination.Invites[^1], StringComparison.Ordinal);

        var off = await lab.SwitchAsync(contract.Id, on: false);
        Assert.True(off < TimeSpan.FromSeconds(1), $"switch off: {off}");
        Assert.Equal("site", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);

        var deleted = await lab.Api.DeleteAsync($"/api/contracts/{contract.Id}");
        watch.Restart();
        Assert.True(deleted.IsSuccessStatusCode);
        await lab.WaitForEdgeAsync(EdgeTable.Numbers, EdgeLab.ContractNumber, v => v is null);
        await lab.WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(CultureInfo.InvariantCulture), v => v is null);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"contract deleted: {watch.Elapsed}");
        Assert.Equal(404, (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).Status);
    }

    [Fact]
    public async Task ControllerDown_CallsKeepRoutingByTheLastTable()
    {
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        await lab.SwitchAsync(contract.Id, on: true);

        await lab.StopControllerAsync();
        var forwarded = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber);
        var busy = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber);
        var monitoring = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.MonitoringNumber);

        Assert.Equal(("destination", 486, "site"), (forwarded.AnsweredBy, busy.Status, monitoring.AnsweredBy));
    }

    [Fact]
    public async Task EdgeRestart_LoadsTheTableFromTheDatabase_IncludingAChangeMadeWhileItWasDown()
    {
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();

        await lab.RestartEdgeAsync(whileDown: async () =>
        {
            var response = await lab.Api.PostAsJsonAsync($"/api/contracts/{contract.Id}/forwarding/start", new { });
            Assert.True(response.IsSuccessStatusCode);
        });

        await lab.WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(CultureInfo.InvariantCulture), v => v?.StartsWith("1|", StringComparison.Ordinal) == true);
        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
    }

    [Fact]
    public async Task AnEdgeThatMissedAPush_CatchesUpByReload_WhenItAnswersAgain()
    {
        await using var lab = await EdgeLab.StartAsync();
        var contract = await lab.CreateContractAsync();
        var metrics = lab.Controller!.Services.GetRequiredService<EdgeMetrics>();
        var failures = metrics.FailuresTotal;

        // frozen (SIGSTOP): the push times out and the edge is stale; thawed, it reloads from the database
        Signal(lab.Edge.ProcessId, "STOP");
        try
        {
            var response = await lab.Api.PostAsJsonAsync($"/api/contracts/{contract.Id}/forwarding/start", new { });
            Assert.True(response.IsSuccessStatusCode);
            await Wait.PollAsync(() => Task.FromResult(metrics.FailuresTotal), n => n > failures, TimeSpan.FromSeconds(10), "the push to a frozen edge failing");
        }
        finally
        {
            Signal(lab.Edge.ProcessId, "CONT");
        }

        await lab.WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(CultureInfo.InvariantCulture), v => v?.StartsWith("1|", StringComparison.Ordinal) == true);
        await lab.WaitInSyncAsync();
        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
    }

    [Fact]
    public async Task AFrozenNode_DoesNotDelayTheOthers_AndCatchesUpWhenThawed()
    {
        await using var lab = await EdgeLab.StartAsync(moreNodes: 1);
        var frozen = lab.MoreNodes[0];
        var contract = await lab.CreateContractAsync();
        await lab.WaitForEdgeAsync(EdgeTable.Numbers, EdgeLab.ContractNumber, v => v is not null, node: frozen);

        Signal(frozen.ProcessId, "STOP");
        try
        {
            // the frozen node's push hangs until its timeout; the other node has the switch at once
            var elapsed = await lab.SwitchAsync(contract.Id, on: true);
            Assert.True(elapsed < TimeSpan.FromSeconds(1), $"switch on with a frozen node beside: {elapsed}");
            Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
        }
        finally
        {
            Signal(frozen.ProcessId, "CONT");
        }

        await lab.WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(CultureInfo.InvariantCulture), v => v?.StartsWith("1|", StringComparison.Ordinal) == true, node: frozen);
        await lab.WaitInSyncAsync(2);
        Assert.Equal("destination", (await lab.Caller.CallAsync(frozen.Port, EdgeLab.ContractNumber)).AnsweredBy);
    }

    [Fact]
    public async Task ASiteIsReachedAtItsRegisteredContact_WithTheSitePasswordFromTheStore_ElseAtItsConfiguredAddress()
    {
        await using var lab = await EdgeLab.StartAsync();
        await using var elsewhere = new SipPhone("registered-site");
        // the configured site address is the site phone; the registration names another phone
        var contract = await lab.CreateContractAsync();

        Assert.Equal("site", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber)).AnsweredBy);
        Assert.Equal(401, await elsewhere.RegisterAsync(lab.Edge.Port, EdgeLab.SiteId, "wrong-password-1"));
        Assert.Equal(401, await elsewhere.RegisterAsync(lab.Edge.Port, "site-unknown", EdgeLab.SitePassword));
        Assert.Equal("site", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber)).AnsweredBy);

        Assert.Equal(200, await elsewhere.RegisterAsync(lab.Edge.Port, EdgeLab.SiteId, EdgeLab.SitePassword));
        var call = await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.PlainNumber);
        Assert.Equal("registered-site", call.AnsweredBy);
        // the site still sees the dialled number in the Request-URI
        Assert.StartsWith($"INVITE sip:{EdgeLab.PlainNumber}@127.0.0.1:{elsewhere.Port}", elsewhere.Invites[^1], StringComparison.Ordinal);

        // a new site password (the store recomputes the digest, the edge gets it): the old one no longer registers
        var put = await lab.Api.PutAsJsonAsync($"/api/contracts/{contract.Id}/site", new SiteRequest(EdgeLab.SiteId, "site-a-secret-2"));
        Assert.True(put.IsSuccessStatusCode);
        await lab.WaitForEdgeAsync(EdgeTable.Subscribers, EdgeLab.SiteId, v => v == RegistrationDigest.Ha1(EdgeLab.SiteId, "gateway.edge", "site-a-secret-2"));
        Assert.Equal(401, await elsewhere.RegisterAsync(lab.Edge.Port, EdgeLab.SiteId, EdgeLab.SitePassword));
        Assert.Equal(200, await elsewhere.RegisterAsync(lab.Edge.Port, EdgeLab.SiteId, "site-a-secret-2"));
    }

    [Fact]
    public async Task TheJsonRpc_AnswersOnlyOnItsPort_AndOnlyToTheAllowedNetwork()
    {
        await using var lab = await EdgeLab.StartAsync(new Dictionary<string, string> { ["RPC_ALLOW"] = "\"127.0.0.0/8\"" });
        using var http = new HttpClient();
        var body = """{"jsonrpc":"2.0","method":"htable.sets","params":["ctr","1","1|9|0||"],"id":1}""";

        // the SIP port speaks TCP too: HTTP there must not reach the RPC
        var onSipPort = await http.PostAsync($"http://127.0.0.1:{lab.Edge.Port}/RPC", new StringContent(body));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, onSipPort.StatusCode);
        Assert.Null(await lab.Rpc.GetAsync(EdgeTable.Contracts, "1", CancellationToken.None));

        await using var strict = await KamailioProcess.StartEdgeAsync(lab.Controller!.DatabasePath, new Dictionary<string, string> { ["RPC_ALLOW"] = "\"127.0.0.2/32\"" });
        // its pid file comes before its listeners: a refused connection is retried
        var fromElsewhere = await Wait.PollAsync(
            async () =>
            {
                try
                {
                    return await http.PostAsync(new Uri(strict.RpcUrl), new StringContent(body));
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            r => r is not null,
            TimeSpan.FromSeconds(10),
            "the strict edge's RPC port answering");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, fromElsewhere!.StatusCode);
    }

    /// <summary>Signals kamailio and all its worker processes.</summary>
    private static void Signal(int pid, string signal)
    {
        var pids = ProcessTable.DescendantsOf(pid).Select(e => e.Pid).Prepend(pid).Select(p => p.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start("kill", ["-" + signal, .. pids]);
        kill.WaitForExit();
    }
}
