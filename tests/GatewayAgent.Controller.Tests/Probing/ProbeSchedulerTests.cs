using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>The scheduler on a fake clock (FN-3: one probe per contract per interval; dying gasp; canary self-check).</summary>
public sealed class ProbeSchedulerTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private static ProbingOptions Options(Action<ProbingOptions>? configure = null)
    {
        var options = new ProbingOptions { Interval = TimeSpan.FromSeconds(60), Round = TimeSpan.FromSeconds(10), Jitter = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(8) };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task EachContract_IsProbedExactlyOncePerInterval_AtItsStablePhase_SpreadOverTheInterval()
    {
        await using var h = new SchedulerHarness(Options(), FakeTargetSource.Contracts(1000));
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(180), Step);

        var interval = TimeSpan.FromSeconds(60);
        var byContract = h.Dialer.Calls.GroupBy(c => c.ContractId).ToDictionary(g => g.Key, g => g.Select(c => c.At).OrderBy(t => t).ToList());
        Assert.Equal(1000, byContract.Count);
        foreach (var (id, calls) in byContract)
        {
            // One probe in each of the three windows [0,60), [60,120), [120,180).
            Assert.Equal([0, 1, 2], calls.Select(t => (int)(SchedulerHarness.Seconds(t) / 60)).ToArray());
            var expected = ProbePhase.Of(id) * (interval - h.Options.Jitter).TotalSeconds;
            foreach (var t in calls)
            {
                var offset = SchedulerHarness.Seconds(t) % 60;
                Assert.InRange(offset, expected, expected + h.Options.Jitter.TotalSeconds + Step.TotalSeconds);
            }
        }

        // Spread: each 6-second tenth of the first window holds about a tenth of the probes (100 ± 40).
        var tenths = h.Dialer.Calls.Where(c => SchedulerHarness.Seconds(c.At) < 60).GroupBy(c => (int)(SchedulerHarness.Seconds(c.At) / 6)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, tenths.Count);
        Assert.All(tenths.Values, n => Assert.InRange(n, 60, 140));
        Assert.Equal(3000, h.Sink.Records.Count);
        Assert.All(h.Sink.Records, r => Assert.Equal(ProbeOutcome.Reached, r.Outcome));
        Assert.Equal(3000, h.Metrics.PlacedTotal);
        Assert.Equal(3000, h.Metrics.ReachedTotal);
    }

    [Fact]
    public void Phases_AreStable_Distinct_AndUniform_Over100000Contracts()
    {
        var phases = Enumerable.Range(1, 100_000).Select(i => ProbePhase.Of(i)).ToArray();

        Assert.Equal(100_000, phases.Distinct().Count());
        Assert.All(phases, p => Assert.InRange(p, 0.0, 0.999999999));
        var buckets = phases.GroupBy(p => (int)(p * 100)).Select(g => g.Count()).ToArray();
        Assert.Equal(100, buckets.Length);
        Assert.All(buckets, n => Assert.InRange(n, 850, 1150));
        Assert.Equal(phases[41], ProbePhase.Of(42));
    }

    [Fact]
    public async Task PerContractInterval_OverridesTheDefault()
    {
        await using var h = new SchedulerHarness(Options(), [FakeTargetSource.Contract(1, TimeSpan.FromSeconds(10)), FakeTargetSource.Contract(2)]);
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(60), Step);

        Assert.Equal(6, h.Dialer.CallsOf(1).Count);
        Assert.Equal([0, 1, 2, 3, 4, 5], h.Dialer.CallsOf(1).Select(t => (int)(SchedulerHarness.Seconds(t) / 10)).Order().ToArray());
        Assert.Single(h.Dialer.CallsOf(2));
    }

    [Fact]
    public async Task ConcurrencyCap_IsRespected_AndEveryDueProbeIsPlacedAsSlotsFree()
    {
        var pending = new System.Collections.Concurrent.ConcurrentQueue<TaskCompletionSource<ProbeDialResult>>();
        await using var h = new SchedulerHarness(Options(o => o.MaxConcurrent = 3), FakeTargetSource.Contracts(10));
        h.Dialer.Answer = _ =>
        {
            var tcs = new TaskCompletionSource<ProbeDialResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending.Enqueue(tcs);
            return tcs.Task;
        };
        await h.StartAsync();

        h.Time.Advance(TimeSpan.FromSeconds(59.9)); // every contract is due; probes never time out (the clock stands still)
        for (var completed = 0; completed < 10; completed++)
        {
            await h.Dialer.WaitForCallsAsync(Math.Min(10, 3 + completed));
            Assert.Equal(Math.Min(10, 3 + completed), h.Dialer.Calls.Count);
            Assert.InRange(h.Dialer.InFlight, 0, 3);
            Assert.True(pending.TryDequeue(out var call));
            call.SetResult(ProbeDialResult.Response(200, TimeSpan.FromMilliseconds(10)));
            await h.Sink.WaitUntilAsync(r => r.Count == completed + 1);
        }

        Assert.Equal(3, h.Dialer.MaxInFlight);
        Assert.Equal(10, h.Dialer.Calls.Count);
        Assert.Equal(10, h.Dialer.Calls.Select(c => c.ContractId).Distinct().Count());
    }

    [Fact]
    public async Task Timeout_IsRecordedAsMissed()
    {
        await using var h = new SchedulerHarness(Options(), [FakeTargetSource.Contract(7)]);
        h.Dialer.Answer = _ => new TaskCompletionSource<ProbeDialResult>().Task; // the dialer hangs
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(60) + h.Options.Timeout + ProbeScheduler.DialGrace, TimeSpan.FromMilliseconds(500));

        var record = Assert.Single(h.Sink.Records);
        Assert.Equal(ProbeOutcome.Missed, record.Outcome);
        Assert.Equal("timeout", record.Detail);
        Assert.Null(record.SetupTime);
        Assert.Equal(h.Dialer.CallsOf(7)[0], record.StartedAt);
    }

    [Fact]
    public async Task Reached_CarriesStatusAndSetupTime()
    {
        await using var h = new SchedulerHarness(Options(), [FakeTargetSource.Contract(3)]);
        h.Dialer.Answer = _ => Task.FromResult(ProbeDialResult.Response(486, TimeSpan.FromMilliseconds(120)));
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

        var record = Assert.Single(h.Sink.Records);
        Assert.Equal(ProbeOutcome.Reached, record.Outcome);
        Assert.Equal(486, record.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(120), record.SetupTime);
    }

    [Fact]
    public async Task CanaryMiss_TurnsThatRoundsMisses_IntoProberDegraded_AndCanaryAnswer_LetsMissesCount()
    {
        // Every contract refuses (404); interval = round = 10 s, so each round probes all 20 contracts once.
        var options = Options(o =>
        {
            o.Interval = TimeSpan.FromSeconds(10);
            o.Timeout = TimeSpan.FromSeconds(1);
            o.Canary = "sip:0399999999@127.0.0.1:5060";
        });
        await using var h = new SchedulerHarness(options, FakeTargetSource.Contracts(20));
        h.Dialer.Answer = _ => Task.FromResult(ProbeDialResult.Response(404, TimeSpan.FromMilliseconds(5)));
        h.Dialer.CanaryUp = false;
        await h.StartAsync();

        // Round 0 [0,10): canary down -> its misses are the prober's trouble.
        await h.AdvanceAsync(TimeSpan.FromSeconds(10) - Step, Step);
        await h.Sink.WaitUntilAsync(r => r.Count == 20);
        Assert.All(h.Sink.Records, r => Assert.Equal(ProbeOutcome.ProberDegraded, r.Outcome));
        Assert.Equal(20, h.Metrics.DegradedTotal);

        // Round 1 [10,20): canary up; its misses are held until round 2's canary has answered too.
        h.Dialer.CanaryUp = true;
        await h.AdvanceAsync(TimeSpan.FromSeconds(10), Step); // to t=19.9
        Assert.Equal(40, h.Dialer.Calls.Count);
        Assert.Equal(20, h.Sink.Records.Count); // held: round 2's canary has not answered yet

        await h.AdvanceAsync(Step, Step); // t=20: round 2 starts, its canary answers
        await h.Sink.WaitUntilAsync(r => r.Count == 40);
        var round1 = h.Sink.Records.Where(r => SchedulerHarness.Seconds(r.StartedAt) is >= 10 and < 20).ToList();
        Assert.Equal(20, round1.Count);
        Assert.All(round1, r => Assert.Equal(ProbeOutcome.Missed, r.Outcome));
        Assert.All(round1, r => Assert.Equal(404, r.Status));
        Assert.Equal(20, h.Metrics.MissedTotal);
        Assert.Equal(1, h.Metrics.CanaryMissedTotal);
    }

    [Fact]
    public async Task CanaryMissInTheNextRound_AlsoDegradesTheMissesItFollows()
    {
        var options = Options(o =>
        {
            o.Interval = TimeSpan.FromSeconds(10);
            o.Timeout = TimeSpan.FromSeconds(1);
            o.Canary = "sip:0399999999@127.0.0.1:5060";
        });
        await using var h = new SchedulerHarness(options, FakeTargetSource.Contracts(5));
        h.Dialer.Answer = _ => Task.FromResult(ProbeDialResult.TimedOut());
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(10) - Step, Step); // round 0: canary up, misses held
        Assert.Empty(h.Sink.Records);
        h.Dialer.CanaryUp = false;
        await h.AdvanceAsync(Step, Step); // round 1's canary misses: the trouble began while round 0's probes waited

        await h.Sink.WaitUntilAsync(r => r.Count == 5);
        Assert.All(h.Sink.Records, r => Assert.Equal(ProbeOutcome.ProberDegraded, r.Outcome));
    }

    [Fact]
    public async Task WithoutCanary_MissesAreRecordedAtOnce()
    {
        await using var h = new SchedulerHarness(Options(o => o.Interval = TimeSpan.FromSeconds(10)), FakeTargetSource.Contracts(5));
        h.Dialer.Answer = _ => Task.FromResult(ProbeDialResult.TransportError("connection refused"));
        await h.StartAsync();

        await h.AdvanceAsync(TimeSpan.FromSeconds(10) - Step, Step);

        Assert.Equal(5, h.Sink.Records.Count);
        Assert.All(h.Sink.Records, r => Assert.Equal(ProbeOutcome.Missed, r.Outcome));
        Assert.All(h.Sink.Records, r => Assert.Equal("transport error: connection refused", r.Detail));
    }

    [Fact]
    public async Task Trigger_ProbesAtOnce_ThenEveryFastInterval_UntilSettled_ThenBackToTheNormalPhase()
    {
        await using var h = new SchedulerHarness(Options(), [FakeTargetSource.Contract(9)]);
        h.Dialer.Answer = _ => Task.FromResult(ProbeDialResult.TimedOut());
        // The detector settles on the fourth fast miss (FN-4: four misses are still required).
        h.Sink.Settled = (_, all) => all.Count(r => r.Detail.Contains("[fast probe: power.lost]", StringComparison.Ordinal)) >= 4;
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(60), Step); // window 0: the normal probe
        Assert.Single(h.Dialer.CallsOf(9));

        await h.AdvanceAsync(TimeSpan.FromSeconds(1.5), Step); // t=61.5
        h.Scheduler.Trigger(9, "power.lost");
        await h.IdleAsync();
        Assert.Equal(2, h.Dialer.CallsOf(9).Count);
        Assert.Equal(61.5, SchedulerHarness.Seconds(h.Dialer.CallsOf(9)[1]), 3);

        await h.AdvanceAsync(TimeSpan.FromSeconds(120), Step);

        var calls = h.Dialer.CallsOf(9).Select(SchedulerHarness.Seconds).ToArray();
        Assert.Equal([61.5, 66.5, 71.5, 76.5], calls[1..5].Select(t => Math.Round(t, 3)).ToArray());
        // Then the normal phase again: one probe in the window after settling, at the contract's phase.
        var expected = ProbePhase.Of(9) * (60 - h.Options.Jitter.TotalSeconds);
        var after = calls[5..];
        Assert.NotEmpty(after);
        Assert.All(after, t => Assert.InRange(t % 60, expected, expected + h.Options.Jitter.TotalSeconds + Step.TotalSeconds));
        Assert.True(after[0] > 76.5);
        Assert.Equal(after.Length, after.Select(t => (int)(t / 60)).Distinct().Count());
        Assert.All(h.Sink.Records.Skip(1).Take(4), r => Assert.EndsWith("[fast probe: power.lost]", r.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TargetsRefresh_EveryRound_NewContractsAreProbed_RemovedOnesAreNot()
    {
        await using var h = new SchedulerHarness(Options(o => o.Interval = TimeSpan.FromSeconds(20)), [FakeTargetSource.Contract(1), FakeTargetSource.Contract(2)]);
        await h.StartAsync();
        await h.AdvanceAsync(TimeSpan.FromSeconds(20), Step);
        Assert.Single(h.Dialer.CallsOf(2));

        h.Targets.Targets = [FakeTargetSource.Contract(1), FakeTargetSource.Contract(3)];
        await h.AdvanceAsync(TimeSpan.FromSeconds(60), Step);

        Assert.Single(h.Dialer.CallsOf(2));
        Assert.InRange(h.Dialer.CallsOf(3).Count, 2, 3);
        Assert.Equal(4, h.Dialer.CallsOf(1).Count);
        Assert.True(h.Targets.Reads >= 8);
        Assert.Equal(2, h.Metrics.Contracts);
    }

    [Fact]
    public async Task Trigger_ForAnUnknownContract_IsIgnored()
    {
        await using var h = new SchedulerHarness(Options(), [FakeTargetSource.Contract(1)]);
        await h.StartAsync();

        h.Scheduler.Trigger(99, "offline");
        await h.IdleAsync();

        Assert.Empty(h.Dialer.Calls);
    }
}
