namespace GatewayAgent.Controller.Detection;

/// <summary>
/// The four-miss rule as a pure function. NORMAL counts consecutive misses: <see cref="DetectionOptions.FailureThreshold"/>
/// of them ⇒ FAILED (FN-4); a reached probe resets the count. FAILED counts consecutive reached probes:
/// <see cref="DetectionOptions.RecoveryThreshold"/> of them ⇒ NORMAL (FN-5); a miss resets the count.
/// A <see cref="ProbeOutcome.ProberDegraded"/> outcome is the prober's own trouble: it neither counts nor resets.
/// With a recovery hold (flap damping, <see cref="DetectionOptions.RecoveryHold"/>) FAILED also waits until the hold has
/// passed since the failure was declared (<see cref="DetectorView.Since"/>); the reached count keeps growing meanwhile.
/// </summary>
public static class FailureDetector
{
    public static DetectorStep Apply(DetectorView current, ProbeOutcome outcome, int failureThreshold, int recoveryThreshold, DateTimeOffset now) =>
        Apply(current, outcome, failureThreshold, recoveryThreshold, TimeSpan.Zero, now);

    public static DetectorStep Apply(DetectorView current, ProbeOutcome outcome, int failureThreshold, int recoveryThreshold, TimeSpan recoveryHold, DateTimeOffset now)
    {
        if (outcome == ProbeOutcome.ProberDegraded)
        {
            return new DetectorStep(current, null);
        }

        var reached = outcome == ProbeOutcome.Reached;
        if (current.State == DetectorStates.Failed)
        {
            if (!reached)
            {
                return new DetectorStep(current with { Reached = 0, Misses = 0 }, null);
            }

            var count = current.Reached + 1;
            var held = recoveryHold > TimeSpan.Zero && current.Since is { } failedAt && now - failedAt < recoveryHold;
            return count >= recoveryThreshold && !held
                ? new DetectorStep(new DetectorView(DetectorStates.Normal, 0, 0, now), DetectorStates.Normal)
                : new DetectorStep(current with { Reached = count, Misses = 0 }, null);
        }

        if (reached)
        {
            return new DetectorStep(current with { Misses = 0, Reached = 0 }, null);
        }

        var misses = current.Misses + 1;
        return misses >= failureThreshold
            ? new DetectorStep(new DetectorView(DetectorStates.Failed, 0, 0, now), DetectorStates.Failed)
            : new DetectorStep(current with { Misses = misses, Reached = 0 }, null);
    }
}
