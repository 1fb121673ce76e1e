using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Meter "GatewayAgent.Controller.Ingest": what the ingest received, stored, dropped and saw.</summary>
public sealed class IngestMetrics
{
    public const string MeterName = "GatewayAgent.Controller.Ingest";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _events;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _seqGaps;
    private readonly Counter<long> _aclViolations;
    private readonly Counter<long> _rejectedConnections;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _brokerSessions;
    private readonly Counter<long> _oversized;
    private readonly Counter<long> _revoked;
    private readonly Counter<long> _writeFailures;
    private readonly Counter<long> _liveWrites;
    private long _writeFailuresTotal;

    public IngestMetrics(IMeterFactory meterFactory, SiteLiveStatusRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("gateway.ingest.messages", "{message}", "Agent messages ingested, by kind (state, telemetry, events, reply)");
        _events = meter.CreateCounter<long>("gateway.ingest.events", "{event}", "Agent events stored (first delivery of an id)");
        _duplicates = meter.CreateCounter<long>("gateway.ingest.duplicates", "{event}", "Agent events delivered again with an id already stored");
        _seqGaps = meter.CreateCounter<long>("gateway.ingest.seq_gaps", "{gap}", "Jumps in a site's live event seq (a rebirth is requested)");
        _aclViolations = meter.CreateCounter<long>("gateway.ingest.acl_violations", "{message}", "Publishes and subscriptions refused by the per-site ACL, by kind");
        _rejectedConnections = meter.CreateCounter<long>("gateway.ingest.rejected_connections", "{connection}", "MQTT connections refused (bad credentials or client id)");
        _malformed = meter.CreateCounter<long>("gateway.ingest.malformed", "{message}", "Agent messages that could not be decoded");
        _brokerSessions = meter.CreateCounter<long>("gateway.ingest.broker_sessions", "{session}", "External mode: sessions established with the broker (subscribed); more than one means reconnects");
        _oversized = meter.CreateCounter<long>("gateway.ingest.oversized", "{message}", "Embedded broker: packets over Limits:MaxPacketBytes (connection closed) and events over MaxEventPayloadBytes (refused), by kind");
        _revoked = meter.CreateCounter<long>("gateway.ingest.sessions_revoked", "{session}", "Embedded broker: live site sessions closed because the site's password changed or its contract was deleted");
        _writeFailures = meter.CreateCounter<long>("gateway.ingest.write_failures", "{message}", "Agent messages whose storing failed, by kind (an event is then not acknowledged: the agent sends it again)");
        _liveWrites = meter.CreateCounter<long>("gateway.ingest.live_status_writes", "{row}", "Site live-status rows written to the database (one per site per write, however many messages it merged)");
        meter.CreateObservableGauge("gateway.ingest.sites_online", registry.OnlineCount, "{site}", "Sites whose last state known to this node's ingest is online (per node: the cluster-wide status is in the API)");
    }

    public void MessageReceived(string kind) => _messages.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void EventIngested() => _events.Add(1);

    public void DuplicateEvent() => _duplicates.Add(1);

    public void SeqGap() => _seqGaps.Add(1);

    public void LiveStatusWritten(int rows) => _liveWrites.Add(rows);

    public void AclViolation(string kind) => _aclViolations.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ConnectionRejected() => _rejectedConnections.Add(1);

    public void BrokerSessionStarted() => _brokerSessions.Add(1);

    public void PacketTooLarge() => _oversized.Add(1, new KeyValuePair<string, object?>("kind", "packet"));

    public void EventTooLarge() => _oversized.Add(1, new KeyValuePair<string, object?>("kind", "event"));

    public void SessionRevoked() => _revoked.Add(1);

    /// <summary>Agent messages whose storing failed since the start.</summary>
    public long WriteFailuresTotal => Interlocked.Read(ref _writeFailuresTotal);

    public void WriteFailed(string kind)
    {
        Interlocked.Increment(ref _writeFailuresTotal);
        _writeFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public void Malformed(string kind) => _malformed.Add(1, new TagList { { "kind", kind } });
}
