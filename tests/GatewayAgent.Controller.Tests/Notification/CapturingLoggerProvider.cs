using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>Keeps every log line written through it, so tests can assert what the operator would read.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public IReadOnlyList<CapturedLog> WithEventId(int id) => Entries.Where(e => e.EventId == id).ToList();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider._entries.Enqueue(new CapturedLog(logLevel, eventId.Id, formatter(state, exception)));
    }
}

internal sealed record CapturedLog(LogLevel Level, int EventId, string Message);
