using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>One decoded agent message on its way from the broker to the ingest worker that owns the site.</summary>
internal abstract record InboundMessage(string SiteId, DateTimeOffset ReceivedAt)
{
    /// <summary>Set by a broker that acknowledges only after the commit (the embedded broker, for events): completed by the worker.</summary>
    public IngestReceipt? Receipt { get; init; }
}

/// <summary>gw/v1/{siteId}/state. <paramref name="RetainedReplay"/>: delivered from the broker's retained store on subscribe.</summary>
internal sealed record InboundState(string SiteId, DateTimeOffset ReceivedAt, AgentState State, bool RetainedReplay)
    : InboundMessage(SiteId, ReceivedAt);

internal sealed record InboundTelemetry(string SiteId, DateTimeOffset ReceivedAt, TelemetrySnapshot Snapshot)
    : InboundMessage(SiteId, ReceivedAt);

internal sealed record InboundEvent(string SiteId, DateTimeOffset ReceivedAt, AgentEvent Event)
    : InboundMessage(SiteId, ReceivedAt);
