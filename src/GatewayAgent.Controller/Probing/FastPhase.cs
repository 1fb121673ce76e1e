namespace GatewayAgent.Controller.Probing;

/// <summary>
/// When a dying gasp's fast probing ends (issue 9). A site that reports power.lost may still answer a moment longer (the
/// adapter on its UPS, the report racing the cut), so one answer must not end the fast phase. With N the detector's
/// FailureThreshold (FN-4), the phase ends after a fast probe's record when
/// <list type="number">
/// <item><b>the failure is declared</b>: the probe missed and the detector settled, so it stands at FAILED (FN-4 counted N
/// misses in a row, or the contract had already failed);</item>
/// <item><b>the site proved it is up</b>: N fast probes in a row reached it (as many answers as it takes misses to declare
/// a failure) and the detector settled. A ProberDegraded probe neither counts nor breaks the run, as in the detector;</item>
/// <item><b>the bound</b>: 2·N fast probes were recorded. N − 1 answers followed by N misses, the longest run rules 1
/// and 2 must see through, take 2·N − 1; only a site whose answers and misses interleave (which FN-4 never counts as a
/// failure) or a prober whose canary keeps failing reaches it.</item>
/// </list>
/// The contract then goes back to its normal phase; the detector keeps its counts, so normal probing goes on from them.
/// </summary>
internal static class FastPhase
{
    /// <summary>Why the fast phase ended, for the log; null while it goes on.</summary>
    public static string? EndReason(ProbeOutcome outcome, bool settled, int answersInARow, int fastProbes, int failureThreshold)
    {
        if (settled && outcome == ProbeOutcome.Missed)
        {
            return "failure declared";
        }

        if (settled && answersInARow >= failureThreshold)
        {
            return $"{answersInARow} answers in a row";
        }

        return fastProbes >= MaxProbes(failureThreshold) ? $"bound of {MaxProbes(failureThreshold)} fast probes" : null;
    }

    /// <summary>The most fast probes one gasp buys: 2 × FailureThreshold.</summary>
    public static int MaxProbes(int failureThreshold) => 2 * failureThreshold;
}
