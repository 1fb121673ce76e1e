using System.Collections.Concurrent;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>The detector's side, recorded: every ProbeRecord in arrival order; "settled" as the test decides.</summary>
internal sealed class RecordingSink : IProbeOutcomeSink
{
    private readonly SemaphoreSlim _arrived = new(0);

    public ConcurrentQueue<ProbeRecord> Records { get; } = new();

    public Func<ProbeRecord, IReadOnlyCollection<ProbeRecord>, bool> Settled { get; set; } = (_, _) => false;

    public Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken)
    {
        Records.Enqueue(record);
        var settled = Settled(record, Records);
        _arrived.Release();
        return Task.FromResult(settled);
    }

    /// <summary>Waits (event-driven; the bound only stops a broken test) until the condition holds over the records.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyCollection<ProbeRecord>, bool> condition)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition(Records))
        {
            await _arrived.WaitAsync(bound.Token);
        }
    }
}
