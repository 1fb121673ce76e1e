namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Wakes the dispatcher before its next poll: whoever writes the outbox (a detector transition, a test mail, FN-8) may
/// call <see cref="Notify"/> after committing so the mail leaves at once rather than after Controller:Mail:PollInterval.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Returns after a <see cref="Notify"/> (also one made since the last wait) or after <paramref name="timeout"/>.</summary>
    internal async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _next);
        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, delayCancel.Token);
        await Task.WhenAny(current.Task, delay).ConfigureAwait(false);
        await delayCancel.CancelAsync().ConfigureAwait(false);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
