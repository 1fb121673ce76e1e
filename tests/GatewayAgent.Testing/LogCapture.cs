using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit.Abstractions;

namespace GatewayAgent.Testing;

/// <summary>
/// The one log capture of the tests: a <see cref="FakeLogCollector"/> that keeps every record of the code under test
/// (hosts, services, a single class) so tests can assert what an operator would read, and wakes waiters on each record.
/// Given an <see cref="ITestOutputHelper"/>, every line also goes to the test's output (the .trx), never to the console.
/// </summary>
public sealed class LogCapture
{
    private readonly Changes _changes = new();

    public LogCapture(ITestOutputHelper? output = null, LogLevel minimum = LogLevel.Trace)
    {
        var options = new FakeLogCollectorOptions
        {
            CollectRecordsForDisabledLogLevels = false,
            OutputFormatter = Format,
            OutputSink = line =>
            {
                if (output is not null)
                {
                    TryWrite(output, line);
                }

                _changes.Notify();
            },
        };
        foreach (var level in Enum.GetValues<LogLevel>().Where(l => l >= minimum && l != LogLevel.None))
        {
            options.FilteredLevels.Add(level);
        }

        Collector = FakeLogCollector.Create(options);
    }

    public FakeLogCollector Collector { get; }

    /// <summary>Announces each record, for waits that combine the log with other changes (<see cref="Wait.UntilAsync"/>).</summary>
    public Changes Changes => _changes;

    /// <summary>Every record so far, oldest first.</summary>
    public IReadOnlyList<FakeLogRecord> Records => Collector.GetSnapshot();

    /// <summary>Every record as one line: "Level EventId message[ exception message]".</summary>
    public IReadOnlyList<string> Lines => [.. Records.Select(Format)];

    /// <summary>A provider for a host's logging builder or service collection; its loggers write here.</summary>
    public ILoggerProvider CreateProvider() => new FakeLoggerProvider(Collector);

    public ILogger<T> CreateLogger<T>() => new FakeLogger<T>(Collector);

    public ILoggerFactory CreateFactory()
    {
        var factory = new LoggerFactory();
        factory.AddProvider(CreateProvider());
        return factory;
    }

    public IReadOnlyList<FakeLogRecord> WithEventId(int eventId) => [.. Records.Where(r => r.Id.Id == eventId)];

    public bool Has(int eventId) => Records.Any(r => r.Id.Id == eventId);

    /// <summary>How many lines (see <see cref="Lines"/>) contain <paramref name="text"/>.</summary>
    public int Count(string text) => Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until <paramref name="text"/> has been logged <paramref name="count"/> times (woken by each record).</summary>
    public Task WaitForAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        _changes.UntilAsync(() => Count(text) >= count, $"'{text}' logged {count} times", timeout, Dump);

    /// <summary>Waits until a record with <paramref name="eventId"/> has been logged <paramref name="count"/> times.</summary>
    public Task WaitForEventAsync(int eventId, int count = 1, TimeSpan? timeout = null) =>
        _changes.UntilAsync(() => WithEventId(eventId).Count >= count, $"event {eventId} logged {count} times", timeout, Dump);

    private string Dump() => "log:\n" + string.Join('\n', Lines);

    private static string Format(FakeLogRecord record) =>
        $"{record.Level} {record.Id.Id} {record.Message}{(record.Exception is null ? "" : " " + record.Exception.Message)}";

    private static void TryWrite(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // A host still logging after its test finished (xunit refuses output then): the record is still collected.
        }
    }
}
