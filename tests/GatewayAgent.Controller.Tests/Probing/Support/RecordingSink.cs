using System.Collections.Concurrent;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>The detector's side, recorded: every ProbeRecord in arrival order; "settled" as the test decides.</summary>
internal sealed class RecordingSink : IProbeOutcomeSink
{
    private readonly Changes _arrived = new();

    public ConcurrentQueue<ProbeRecord> Records { get; } = new();

    public Func<ProbeRecord, IReadOnlyCollection<ProbeRecord>, bool> Settled { get; set; } = (_, _) => false;

    /// <summary>The next this many writes fail (a database error): nothing is recorded.</summary>
    public int FailNext { get; set; }

    /// <summary>Writes that failed because of <see cref="FailNext"/>.</summary>
    public int Failed { get; private set; }

    public Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken)
    {
        if (FailNext > 0)
        {
            FailNext--;
            Failed++;
            _arrived.Notify();
            return Task.FromException<bool>(new InvalidOperationException("database is locked (test)"));
        }

        Records.Enqueue(record);
        var settled = Settled(record, Records);
        _arrived.Notify();
        return Task.FromResult(settled);
    }

    /// <summary>Waits (event-driven; the bound only stops a broken test) until the condition holds over the records.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyCollection<ProbeRecord>, bool> condition) =>
        _arrived.UntilAsync(() => condition(Records), "the probe records satisfy the condition", TimeSpan.FromSeconds(20),
            () => $"{Records.Count} records");
}
