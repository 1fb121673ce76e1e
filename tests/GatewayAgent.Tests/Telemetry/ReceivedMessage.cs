using System.Text.Json;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>One MQTT message a test client (or the embedded broker) saw.</summary>
public sealed record ReceivedMessage(string Topic, string Payload, bool Retain, byte[]? CorrelationData, string? ResponseTopic)
{
    public JsonElement Json => JsonDocument.Parse(Payload).RootElement;
}
