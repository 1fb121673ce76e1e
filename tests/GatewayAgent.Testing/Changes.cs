namespace GatewayAgent.Testing;

/// <summary>
/// Something a test waits on announces each change here (a log line, a message, a record); <see cref="Wait"/> re-checks
/// its condition on every change instead of on a clock. Any number of waiters may wait at once.
/// </summary>
public sealed class Changes
{
    private TaskCompletionSource _next = NewPulse();

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before checking the condition, so no change is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter.</summary>
    public void Notify() => Interlocked.Exchange(ref _next, NewPulse()).TrySetResult();

    /// <summary>Waits until <paramref name="condition"/> holds, re-checked at each change (see <see cref="Wait.UntilAsync"/>).</summary>
    public Task UntilAsync(Func<bool> condition, string what, TimeSpan? bound = null, Func<string>? detail = null) =>
        Wait.UntilAsync(condition, [this], what, bound, detail);

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
