using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>Keeps every log line written through it, so tests can assert what the operator would read.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private TaskCompletionSource _logged = NewPulse();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public IReadOnlyList<CapturedLog> WithEventId(int id) => Entries.Where(e => e.EventId == id).ToList();

    /// <summary>Waits until <paramref name="count"/> lines with <paramref name="eventId"/> were logged, woken by each line; fails after <paramref name="bound"/>.</summary>
    public async Task WaitForAsync(int eventId, int count, TimeSpan bound)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (true)
        {
            var logged = Volatile.Read(ref _logged).Task; // before counting, so a line in between is not missed
            if (WithEventId(eventId).Count >= count)
            {
                return;
            }

            try
            {
                await logged.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"event {eventId} logged {WithEventId(eventId).Count} times, not {count}, within {bound.TotalSeconds} s");
            }
        }
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            provider._entries.Enqueue(new CapturedLog(logLevel, eventId.Id, formatter(state, exception)));
            Interlocked.Exchange(ref provider._logged, NewPulse()).TrySetResult();
        }
    }
}

internal sealed record CapturedLog(LogLevel Level, int EventId, string Message);
