using System.Collections.Concurrent;
using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>Test double of the store's event log: keeps every stored event, refuses a second one with the same id.</summary>
public sealed class InMemorySiteEventLog : ISiteEventLog
{
    private readonly ConcurrentDictionary<string, (string SiteId, AgentEvent Event)> _events = new(StringComparer.Ordinal);

    public IReadOnlyCollection<(string SiteId, AgentEvent Event)> Events => _events.Values.ToList();

    public bool Contains(string eventId) => _events.ContainsKey(eventId);

    public int Count => _events.Count;

    /// <summary>Runs before each write: a test holds it (a slow commit) or throws from it (a database error: nothing is stored).</summary>
    public Func<AgentEvent, Task>? BeforeAdd { get; set; }

    public async ValueTask<bool> TryAddAsync(string siteId, AgentEvent agentEvent, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (BeforeAdd is { } hook)
        {
            await hook(agentEvent);
        }

        return _events.TryAdd(agentEvent.Id, (siteId, agentEvent));
    }

    public ValueTask<long> CountStoredSeqsAsync(string siteId, long afterSeq, long beforeSeq, CancellationToken cancellationToken) =>
        ValueTask.FromResult((long)_events.Values
            .Where(e => e.SiteId == siteId && e.Event.Seq > afterSeq && e.Event.Seq < beforeSeq)
            .Select(e => e.Event.Seq)
            .Distinct()
            .Count());
}
