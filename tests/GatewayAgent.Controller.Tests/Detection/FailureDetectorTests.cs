using GatewayAgent.Controller.Detection;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Detection;

[Trait("Ring", "unit")]
public class FailureDetectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private static DetectorStep Run(DetectorView start, params ProbeOutcome[] outcomes)
    {
        var step = new DetectorStep(start, null);
        foreach (var outcome in outcomes)
        {
            step = FailureDetector.Apply(step.Next, outcome, 4, 4, Now);
        }

        return step;
    }

    private static readonly DetectorView Normal = new(DetectorStates.Normal, 0, 0, null);
    private static readonly DetectorView Failed = new(DetectorStates.Failed, 0, 0, Now);

    [Fact]
    public void Fourth_consecutive_miss_is_the_transition_to_failed_FN_4()
    {
        var third = Run(Normal, ProbeOutcome.Missed, ProbeOutcome.Missed, ProbeOutcome.Missed);
        Assert.Equal(DetectorStates.Normal, third.Next.State);
        Assert.Equal(3, third.Next.Misses);
        Assert.Null(third.TransitionTo);

        var fourth = FailureDetector.Apply(third.Next, ProbeOutcome.Missed, 4, 4, Now);
        Assert.Equal(DetectorStates.Failed, fourth.TransitionTo);
        Assert.True(fourth.Settled);
    }

    [Fact]
    public void A_reached_probe_resets_the_miss_count()
    {
        var step = Run(Normal, ProbeOutcome.Missed, ProbeOutcome.Missed, ProbeOutcome.Missed, ProbeOutcome.Reached, ProbeOutcome.Missed, ProbeOutcome.Missed, ProbeOutcome.Missed);
        Assert.Equal(DetectorStates.Normal, step.Next.State);
        Assert.Equal(3, step.Next.Misses);
        Assert.False(step.Settled);
    }

    [Fact]
    public void Recovery_needs_four_consecutive_reached_FN_5()
    {
        var interrupted = Run(Failed, ProbeOutcome.Reached, ProbeOutcome.Reached, ProbeOutcome.Reached, ProbeOutcome.Missed);
        Assert.Equal(DetectorStates.Failed, interrupted.Next.State);
        Assert.Equal(0, interrupted.Next.Reached);

        var recovered = Run(interrupted.Next, ProbeOutcome.Reached, ProbeOutcome.Reached, ProbeOutcome.Reached, ProbeOutcome.Reached);
        Assert.Equal(DetectorStates.Normal, recovered.TransitionTo);
    }

    [Fact]
    public void Prober_degraded_neither_counts_nor_resets()
    {
        var step = Run(Normal, ProbeOutcome.Missed, ProbeOutcome.ProberDegraded, ProbeOutcome.Missed, ProbeOutcome.ProberDegraded, ProbeOutcome.Missed);
        Assert.Equal(3, step.Next.Misses);
        var failing = Run(Failed, ProbeOutcome.Reached, ProbeOutcome.Reached, ProbeOutcome.ProberDegraded);
        Assert.Equal(2, failing.Next.Reached);
        Assert.Null(failing.TransitionTo);
    }

    [Fact]
    public void Thresholds_are_options()
    {
        var step = FailureDetector.Apply(new DetectorView(DetectorStates.Normal, 1, 0, null), ProbeOutcome.Missed, 2, 3, Now);
        Assert.Equal(DetectorStates.Failed, step.TransitionTo);
    }

    [Fact]
    public void Recovery_hold_keeps_a_flapping_contract_failed_until_the_hold_has_passed()
    {
        // Flap damping (Controller:Detection:RecoveryHold): FN-5's four reached probes recover only once the hold has
        // passed since the failure was declared; the run keeps counting meanwhile.
        var time = new FakeTimeProvider(Now);
        var hold = TimeSpan.FromMinutes(10);
        DetectorStep Probe(DetectorView view, ProbeOutcome outcome)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            return FailureDetector.Apply(view, outcome, 4, 4, hold, time.GetUtcNow());
        }

        var step = new DetectorStep(Normal, null);
        for (var i = 0; i < 4; i++)
        {
            step = Probe(step.Next, ProbeOutcome.Missed);
        }

        Assert.Equal(DetectorStates.Failed, step.TransitionTo);
        var failedAt = time.GetUtcNow();
        for (var i = 0; i < 8; i++)
        {
            step = Probe(step.Next, ProbeOutcome.Reached);
            Assert.Null(step.TransitionTo);
        }

        Assert.Equal(8, step.Next.Reached);
        Assert.False(step.Settled);
        step = Probe(step.Next, ProbeOutcome.Reached);
        Assert.Null(step.TransitionTo); // 9 minutes after the failure
        step = Probe(step.Next, ProbeOutcome.Reached);
        Assert.Equal(failedAt + hold, time.GetUtcNow());
        Assert.Equal(DetectorStates.Normal, step.TransitionTo);
    }

    [Fact]
    public void A_miss_during_the_recovery_hold_restarts_the_run_of_reached_probes()
    {
        var time = new FakeTimeProvider(Now);
        var failed = new DetectorView(DetectorStates.Failed, 0, 0, time.GetUtcNow());
        time.Advance(TimeSpan.FromMinutes(30));
        var step = FailureDetector.Apply(failed with { Reached = 3 }, ProbeOutcome.Missed, 4, 4, TimeSpan.FromMinutes(10), time.GetUtcNow());
        Assert.Equal(0, step.Next.Reached);
        for (var i = 0; i < 3; i++)
        {
            step = FailureDetector.Apply(step.Next, ProbeOutcome.Reached, 4, 4, TimeSpan.FromMinutes(10), time.GetUtcNow());
            Assert.Null(step.TransitionTo);
        }

        step = FailureDetector.Apply(step.Next, ProbeOutcome.Reached, 4, 4, TimeSpan.FromMinutes(10), time.GetUtcNow());
        Assert.Equal(DetectorStates.Normal, step.TransitionTo); // past the hold: FN-5 as written
    }

    [Fact]
    public void The_recovery_hold_never_delays_a_failure_FN_4()
    {
        var time = new FakeTimeProvider(Now);
        var justRecovered = new DetectorView(DetectorStates.Normal, 0, 0, time.GetUtcNow());
        var step = new DetectorStep(justRecovered, null);
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            step = FailureDetector.Apply(step.Next, ProbeOutcome.Missed, 4, 4, TimeSpan.FromHours(1), time.GetUtcNow());
        }

        Assert.Equal(DetectorStates.Failed, step.TransitionTo);
    }

    [Fact]
    public void A_zero_recovery_hold_is_FN_5_as_written()
    {
        var step = new DetectorStep(Failed, null);
        for (var i = 0; i < 4; i++)
        {
            step = FailureDetector.Apply(step.Next, ProbeOutcome.Reached, 4, 4, TimeSpan.Zero, Now);
        }

        Assert.Equal(DetectorStates.Normal, step.TransitionTo);
    }
}
