namespace GatewayAgent.Controller.Probing;

/// <summary>The prober's self-check: the canary of each round and the verdict on held misses (docs/probing.md).</summary>
public sealed partial class ProbeScheduler
{
    /// <summary>
    /// A miss counts only when the canary answered in the round the probe started in and in the next round (so trouble
    /// that starts while the probe is waiting is caught too); otherwise it is the prober's own trouble.
    /// </summary>
    private async Task<ProbeOutcome> JudgeMissAsync(DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (_canary is null)
        {
            return ProbeOutcome.Missed;
        }

        var round = started.UtcTicks / _roundTicks;
        Task<bool> thisRound, nextRound;
        lock (_gate)
        {
            thisRound = CanaryVerdict(round).Task;
            nextRound = CanaryVerdict(round + 1).Task;
        }

        var up = await thisRound.WaitAsync(cancellationToken).ConfigureAwait(false) &&
                 await nextRound.WaitAsync(cancellationToken).ConfigureAwait(false);
        return up ? ProbeOutcome.Missed : ProbeOutcome.ProberDegraded;
    }

    private async Task RunCanaryAsync(long round, TaskCompletionSource<bool> verdict, CancellationToken cancellationToken)
    {
        _metrics.OnCanaryPlaced();
        var dial = await DialAsync(_canary!, cancellationToken).ConfigureAwait(false);
        if (dial is null)
        {
            return;
        }

        var classification = ProbeClassifier.Classify(dial);
        var up = classification.Outcome == ProbeOutcome.Reached;
        bool changed;
        lock (_gate)
        {
            changed = _canaryDown == up;
            _canaryDown = !up;
        }

        if (!up)
        {
            _metrics.OnCanaryMissed();
            ProbingLog.CanaryMissed(_logger, round, classification.Detail);
        }
        else if (changed)
        {
            ProbingLog.CanaryRecovered(_logger, round);
        }

        verdict.TrySetResult(up);
    }

    private TaskCompletionSource<bool> CanaryVerdict(long round)
    {
        if (!_canaryVerdicts.TryGetValue(round, out var verdict))
        {
            verdict = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _canaryVerdicts.Add(round, verdict);
        }

        return verdict;
    }
}
