using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>A logger that keeps every entry (formatted), so tests can check that a drop was logged.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public bool Has(int eventId) => Entries.Any(e => e.Id.Id == eventId);
}
