using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when code starts waiting on it (creates a timer, as
/// <c>Task.Delay(delay, timeProvider)</c> does), so a test moves the clock only once the waiter is there instead of
/// advancing it in a loop on the wall clock.
/// </summary>
public sealed class WaiterAwareClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _timersCreated;
    private TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many timers were created on this clock so far.</summary>
    public int TimersCreated => Volatile.Read(ref _timersCreated);

    /// <summary>Completes when the next timer is created (take it before checking <see cref="TimersCreated"/>).</summary>
    public Task NextTimerCreated => Volatile.Read(ref _created).Task;

    /// <summary>Waits until <paramref name="count"/> timers in all were created, woken by each; fails after <paramref name="bound"/>.</summary>
    public async Task WaitForTimersAsync(int count, TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            var next = NextTimerCreated;
            if (TimersCreated >= count)
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"{TimersCreated} timers created on the clock, not {count}, within {bound.TotalSeconds} s");
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _timersCreated);
        Interlocked.Exchange(ref _created, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return timer;
    }
}
