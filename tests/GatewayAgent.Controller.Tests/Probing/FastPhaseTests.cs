using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Probing.Support;

namespace GatewayAgent.Controller.Tests.Probing;

/// <summary>
/// Issue 9: a dying gasp's fast phase is a bounded window, not "until the first answer". The real scheduler on a fake
/// clock feeds the real detector rule (FN-4/FN-5, FailureThreshold 4); the site answers some fast probes, then not.
/// </summary>
[Trait("Ring", "unit")]
public sealed class FastPhaseTests
{
    private const double Gasp = 31.5;
    private const int Threshold = 4;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Fast = TimeSpan.FromSeconds(2);

    // The lab's settings (interval 5 s, fast 2 s), but a timeout of 1.5 s instead of 2 s, so that a miss is never
    // recorded at the very instant the next fast probe falls due (which of the two comes first is a race on any clock).
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1.5);

    [Theory]
    [InlineData(0)]
    [InlineData(1)] // the lab's slow runs: the first fast probe still answered, then the site fell silent
    [InlineData(2)]
    [InlineData(Threshold - 1)]
    public async Task SiteAnsweringFewerThanThresholdFastProbesThenSilent_FailureIsDeclaredWithinTheFastPhase(int answered)
    {
        await using var site = await GaspAsync(j => j < answered);

        // Fast probe j starts at Gasp + j·Fast; an answer is recorded at once, a miss Timeout later. Failure on the
        // Threshold-th miss: fast probe answered + Threshold − 1.
        var last = answered + Threshold - 1;
        await site.RecordUntilAsync(last);

        var failedAt = Assert.Single(site.Failures);
        Assert.Equal(Gasp + (last * Fast.TotalSeconds) + ProbeTimeout.TotalSeconds, SchedulerHarness.Seconds(failedAt), 3);
        if (answered <= 1)
        {
            // The documented bound (docs/probing.md): 4 × FastInterval + Timeout from the gasp to the declared failure,
            // plus 2 s for the mail, when the site stops answering within one FastInterval of its gasp.
            Assert.InRange(SchedulerHarness.Seconds(failedAt) - Gasp, 0, ((4 * Fast) + ProbeTimeout).TotalSeconds);
        }

        Assert.Equal(last + 1, await site.FastProbesAfterTheWindowAsync());
        site.AssertNormalPhaseAfter(SchedulerHarness.Seconds(failedAt));
    }

    [Fact]
    public async Task SiteThatKeepsAnswering_ReturnsToTheNormalPhase_AfterThresholdAnswersInARow()
    {
        await using var site = await GaspAsync(_ => true);

        await site.RecordUntilAsync(Threshold - 1);

        Assert.Empty(site.Failures);
        Assert.Equal(Threshold, await site.FastProbesAfterTheWindowAsync());
        site.AssertNormalPhaseAfter(Gasp + ((Threshold - 1) * Fast.TotalSeconds));
    }

    [Fact]
    public async Task SiteWhoseAnswersAndMissesInterleave_ReturnsToTheNormalPhase_AfterTwiceThresholdFastProbes()
    {
        // FN-4 never declares a failure here (no Threshold misses in a row) and there are never Threshold answers in a
        // row: only the bound ends the window.
        await using var site = await GaspAsync(j => j % 2 == 0);

        var last = FastPhase.MaxProbes(Threshold) - 1;
        await site.RecordUntilAsync(last);

        Assert.Empty(site.Failures);
        Assert.Equal(2 * Threshold, await site.FastProbesAfterTheWindowAsync());
        site.AssertNormalPhaseAfter(Gasp + (last * Fast.TotalSeconds) + ProbeTimeout.TotalSeconds);
    }

    [Theory]
    [InlineData(ProbeOutcome.Reached, true, 1, 1, null)] // the lab's slow runs ended here: one answer is not enough
    [InlineData(ProbeOutcome.Reached, true, 3, 5, null)]
    [InlineData(ProbeOutcome.Reached, true, 4, 4, "4 answers in a row")]
    [InlineData(ProbeOutcome.Reached, false, 4, 6, null)] // a recovery count is in progress (FN-5)
    [InlineData(ProbeOutcome.Missed, false, 0, 3, null)] // a failure count is in progress (FN-4)
    [InlineData(ProbeOutcome.Missed, true, 0, 4, "failure declared")]
    [InlineData(ProbeOutcome.Missed, true, 0, 1, "failure declared")] // the contract had already failed
    [InlineData(ProbeOutcome.ProberDegraded, true, 0, 2, null)] // proves nothing either way
    [InlineData(ProbeOutcome.ProberDegraded, true, 0, 8, "bound of 8 fast probes")]
    [InlineData(ProbeOutcome.Missed, false, 0, 8, "bound of 8 fast probes")]
    public void EndReason_FollowsTheRule(ProbeOutcome outcome, bool settled, int answersInARow, int fastProbes, string? reason)
    {
        Assert.Equal(reason, FastPhase.EndReason(outcome, settled, answersInARow, fastProbes, Threshold));
    }

    /// <summary>
    /// Contract 9 answers its normal probes (interval 5 s, canary on); power.lost arrives at <see cref="Gasp"/>; from
    /// then on fast probe j (0 = the first) is answered when <paramref name="answers"/> says so, else it times out. Later
    /// normal probes time out too (the site is down, or flapping on).
    /// </summary>
    private static async Task<Site> GaspAsync(Func<int, bool> answers)
    {
        var options = new ProbingOptions
        {
            Interval = TimeSpan.FromSeconds(5),
            FastInterval = Fast,
            Timeout = ProbeTimeout,
            Round = TimeSpan.FromSeconds(10),
            Canary = "sip:0399999999@127.0.0.1:5060",
        };
        var site = new Site(new SchedulerHarness(options, [FakeTargetSource.Contract(9)]));
        try
        {
            await site.StartAsync(answers);
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    private sealed class Site(SchedulerHarness h) : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly List<DateTimeOffset> _failures = [];
        private DetectorView _detector = new(DetectorStates.Normal, 0, 0, null);
        private Func<int, bool> _answers = _ => true;

        public IReadOnlyList<DateTimeOffset> Failures
        {
            get
            {
                lock (_gate)
                {
                    return [.. _failures];
                }
            }
        }

        public async Task StartAsync(Func<int, bool> answers)
        {
            _answers = answers;
            h.Sink.Settled = (record, _) =>
            {
                // The detector as ProbeOutcomeRecorder runs it: its "settled" is what the scheduler is told.
                lock (_gate)
                {
                    var step = FailureDetector.Apply(_detector, record.Outcome, Threshold, Threshold, h.Time.GetUtcNow());
                    _detector = step.Next;
                    if (step.TransitionTo == DetectorStates.Failed)
                    {
                        _failures.Add(h.Time.GetUtcNow());
                    }

                    return step.Settled;
                }
            };
            await h.StartAsync();
            await h.AdvanceAsync(TimeSpan.FromSeconds(Gasp), Step); // normal probes answered, the detector is settled

            var fast = 0;
            h.Dialer.Answer = async _ =>
            {
                var j = Interlocked.Increment(ref fast) - 1;
                if (_answers(j))
                {
                    return FakeProbeDialer.Answered;
                }

                await Task.Delay(ProbeTimeout, h.Time);
                return ProbeDialResult.TimedOut();
            };
            h.Scheduler.Trigger(9, "power.lost");
            await h.IdleAsync();
        }

        /// <summary>
        /// Moves the clock to the moment fast probe <paramref name="last"/> is recorded, waiting at each fast probe's
        /// record time until it is recorded (so none is recorded late on the fake clock).
        /// </summary>
        public async Task RecordUntilAsync(int last)
        {
            for (var j = 0; j <= last; j++)
            {
                var recordAt = Gasp + (j * Fast.TotalSeconds) + (_answers(j) ? 0 : ProbeTimeout.TotalSeconds);
                var ahead = TimeSpan.FromSeconds(recordAt - SchedulerHarness.Seconds(h.Time.GetUtcNow()));
                if (ahead > TimeSpan.Zero)
                {
                    await h.AdvanceAsync(ahead, Step);
                }

                var count = j + 1;
                await h.Sink.WaitUntilAsync(r => FastRecords(r) >= count);
            }
        }

        /// <summary>
        /// Runs the clock on for half a minute and returns how many fast probes were recorded in all: the window must have
        /// closed. Waits for the record of every probe placed before the last few seconds (each is due by then on the
        /// fake clock: its timeout and its canary check), so a late record cannot hide a fast probe.
        /// </summary>
        public async Task<int> FastProbesAfterTheWindowAsync()
        {
            await h.AdvanceAsync(TimeSpan.FromSeconds(30), Step);
            var settledBy = SchedulerHarness.Seconds(h.Time.GetUtcNow()) - 5;
            var placed = h.Dialer.CallsOf(9).Count(c => SchedulerHarness.Seconds(c) <= settledBy);
            await h.Sink.WaitUntilAsync(r => r.Count(x => x.ContractId == 9) >= placed);
            return FastRecords(h.Sink.Records);
        }

        /// <summary>The first probe after <paramref name="seconds"/> is a normal one: at the contract's stable phase (+ jitter) of the next slot.</summary>
        public void AssertNormalPhaseAfter(double seconds)
        {
            var interval = h.Options.Interval.TotalSeconds;
            var jitter = Math.Min(h.Options.Jitter.TotalSeconds, interval / 10);
            var phase = ProbePhase.Of(9) * (interval - jitter);
            var next = h.Dialer.CallsOf(9).Select(SchedulerHarness.Seconds).First(t => t > seconds);
            Assert.InRange(next % interval, phase, phase + jitter + Step.TotalSeconds);
            Assert.InRange(next - seconds, 0, interval + Step.TotalSeconds);
        }

        public ValueTask DisposeAsync() => h.DisposeAsync();

        private static int FastRecords(IEnumerable<ProbeRecord> records) =>
            records.Count(r => r.Detail.EndsWith("[fast probe: power.lost]", StringComparison.Ordinal));
    }
}
