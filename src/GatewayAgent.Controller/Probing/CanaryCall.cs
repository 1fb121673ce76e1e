namespace GatewayAgent.Controller.Probing;

/// <summary>
/// One canary call of the prober's self-check: the round verdicts it gives (when it is a round's canary) and the
/// misses waiting on it as their post-miss check. Built under the scheduler's lock until it starts.
/// </summary>
internal sealed class CanaryCall
{
    private readonly TaskCompletionSource<bool> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The verdicts of the rounds this call is the canary of (a round the loop skipped shares the next one's).</summary>
    public List<TaskCompletionSource<bool>> Rounds { get; } = [];

    /// <summary>True when the canary answered.</summary>
    public Task<bool> Verdict => _verdict.Task;

    /// <summary>"round" when the call is some round's canary, else "miss" (a post-miss check only): the metric tag.</summary>
    public string Check => Rounds.Count > 0 ? "round" : "miss";

    public void Complete(bool up)
    {
        _verdict.TrySetResult(up);
        foreach (var round in Rounds)
        {
            round.TrySetResult(up);
        }
    }
}
