using MQTTnet;

namespace GatewayAgent.Controller.Ingest;

/// <summary>The controller's way out to the agents: the embedded broker or the external broker connection.</summary>
internal interface IControllerMqttLink
{
    /// <summary>This controller node's id; replies to its commands come back on gw/v1/{siteId}/reply/{NodeId}.</summary>
    string NodeId { get; }

    Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken);
}
