using System.Collections.Concurrent;
using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;

namespace IngestBench;

/// <summary>In-memory event log (the benchmark measures ingest, not the store).</summary>
internal sealed class BenchEventLog : ISiteEventLog
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAddAsync(string siteId, AgentEvent agentEvent, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_ids.TryAdd(agentEvent.Id, 0));
}
