namespace GatewayAgent.Controller.Ingest;

/// <summary>What an agent topic under gw/v1/{siteId}/ carries.</summary>
internal enum AgentTopicKind
{
    Other,
    State,
    Telemetry,
    Events,
    Command,
    Reply,
}
