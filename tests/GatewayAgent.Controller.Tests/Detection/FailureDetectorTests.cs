using GatewayAgent.Controller.Detection;

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
}
