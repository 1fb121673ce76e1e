using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>This controller node's MQTT identity: client id at an external broker, and the last level of its reply topic.</summary>
internal sealed class ControllerNode(IOptions<ControllerMqttOptions> options)
{
    public string Id { get; } = string.IsNullOrEmpty(options.Value.ClientId)
        ? "gateway-controller-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))
        : options.Value.ClientId;
}
