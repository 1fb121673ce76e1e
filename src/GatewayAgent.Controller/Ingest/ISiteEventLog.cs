using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Persists ingested agent events once per id (idempotent ingest, across controller restarts).</summary>
public interface ISiteEventLog
{
    /// <summary>Stores the event; false when an event with this id was already stored (a duplicate delivery).</summary>
    ValueTask<bool> TryAddAsync(string siteId, AgentEvent agentEvent, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}
