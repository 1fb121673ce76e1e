namespace GatewayAgent.Controller.Routing;

/// <summary>
/// Told after every committed change that can alter how a contract's calls are routed (its numbers, destinations,
/// switch, channels, screening, site or registration password, or the contract itself created or deleted), so the
/// <see cref="EdgeRoutingPusher"/> pushes it to the edge at once. Cheap and non-blocking: ids are collected until the
/// pusher takes them.
/// </summary>
public sealed class EdgeRoutingChanges
{
    private readonly Lock _gate = new();
    private HashSet<long> _pending = [];
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify(long contractId)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            _pending.Add(contractId);
            signal = _signal;
        }

        signal.TrySetResult();
    }

    /// <summary>Completes when at least one change is pending.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _pending.Count > 0 ? Task.CompletedTask : _signal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes every pending contract id.</summary>
    public IReadOnlyCollection<long> Take()
    {
        lock (_gate)
        {
            var taken = _pending;
            _pending = [];
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return taken;
        }
    }
}
