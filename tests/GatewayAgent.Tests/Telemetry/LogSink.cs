using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>Collects the in-process agent's log lines; waits are woken by each new line.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IEnumerable<string> Lines => _lines;

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    public async Task WaitForAsync(string text, int count = 1, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (Count(text) < count)
        {
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{text}' not logged {count} times; log:\n{string.Join('\n', _lines)}");
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            sink._lines.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
            sink._arrived.Release();
        }
    }
}
