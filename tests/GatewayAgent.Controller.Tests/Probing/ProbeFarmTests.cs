using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>The whole prober, real time and real SIP: 500 contracts at sipp uas sites, a short interval, zero false misses.</summary>
[Collection(SippCollection.Name)]
public sealed class ProbeFarmTests
{
    [Fact]
    public async Task FiveHundredContracts_AtAFiveSecondInterval_AreAllReached_AndEveryCallEndsCleanly()
    {
        const int Contracts = 500;
        await using var site = await SippSite.StartAsync("uas", calls: 1_000_000);
        var options = new ProbingOptions
        {
            Interval = TimeSpan.FromSeconds(5),
            Round = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(4),
            Canary = $"sip:0399999999@127.0.0.1:{site.Port}",
        };
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ProbingMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await using var dialer = new SipProbeDialer(Options.Create(options), TimeProvider.System, NullLoggerFactory.Instance);
        await dialer.StartAsync(CancellationToken.None);
        var targets = new FakeTargetSource
        {
            Targets = Enumerable.Range(1, Contracts).Select(i => new ProbeTarget(i, $"sip:03{i:D8}@127.0.0.1:{site.Port}", $"03{i:D8}", null, null, null)).ToList(),
        };
        var sink = new RecordingSink();
        using var scheduler = new ProbeScheduler(targets, sink, dialer, Options.Create(options), metrics, TimeProvider.System, NullLogger<ProbeScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await sink.WaitUntilAsync(r => r.Select(x => x.ContractId).Distinct().Count() == Contracts && r.Count >= 2 * Contracts);
        targets.Targets = []; // no new probes from the next round on; the running ones finish
        await sink.WaitUntilAsync(r => metrics.InFlight == 0 && r.Count == metrics.PlacedTotal && metrics.PlacedTotal > 0);
        await Task.Delay(options.Round + options.Timeout); // a probe placed just before the list emptied is recorded too
        await sink.WaitUntilAsync(r => metrics.InFlight == 0 && r.Count == metrics.PlacedTotal);
        await scheduler.StopAsync(CancellationToken.None);
        var sipp = await site.StopGracefullyAsync(TimeSpan.FromSeconds(30));

        var records = sink.Records.ToList();
        Assert.All(records, r => Assert.Equal(ProbeOutcome.Reached, r.Outcome));
        Assert.All(records, r => Assert.Contains(r.Status, new int?[] { 180, 200 })); // sipp sends 180 and 200 back to back
        Assert.Equal(0, metrics.MissedTotal + metrics.DegradedTotal + metrics.CanaryMissedTotal);
        Assert.True(metrics.CanaryPlacedTotal >= 3);
        Assert.True(sipp is { Failed: 0 }, sipp.ToString());
        Assert.Equal(metrics.PlacedTotal + metrics.CanaryPlacedTotal, sipp.Successful);
    }
}
