using System.Collections.Concurrent;
using GatewayAgent.Controller.Probing;

namespace ProbingBench;

/// <summary>Keeps counts, the misses and the setup times.</summary>
internal sealed class BenchSink : IProbeOutcomeSink
{
    private long _records;

    public ConcurrentQueue<double> SetupMs { get; } = new();

    public ConcurrentQueue<ProbeRecord> Misses { get; } = new();

    public long Records => Interlocked.Read(ref _records);

    public Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _records);
        if (record.SetupTime is { } setup)
        {
            SetupMs.Enqueue(setup.TotalMilliseconds);
        }

        if (record.Outcome != ProbeOutcome.Reached)
        {
            Misses.Enqueue(record);
        }

        return Task.FromResult(false);
    }
}
