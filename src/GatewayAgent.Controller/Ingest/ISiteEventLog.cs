using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Persists ingested agent events once per id (idempotent ingest, across controller restarts).</summary>
public interface ISiteEventLog
{
    /// <summary>Stores the event; false when an event with this id was already stored (a duplicate delivery).</summary>
    ValueTask<bool> TryAddAsync(string siteId, AgentEvent agentEvent, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>
    /// How many distinct seqs strictly between <paramref name="afterSeq"/> and <paramref name="beforeSeq"/> are stored
    /// for the site: a seq gap one node sees may be events another node received (shared subscriptions).
    /// </summary>
    ValueTask<long> CountStoredSeqsAsync(string siteId, long afterSeq, long beforeSeq, CancellationToken cancellationToken);
}
