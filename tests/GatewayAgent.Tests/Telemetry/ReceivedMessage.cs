using System.Text.Json;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>One MQTT message a test client (or the embedded broker) saw.</summary>
public sealed record ReceivedMessage(string Topic, string Payload, bool Retain, byte[]? CorrelationData, string? ResponseTopic)
{
    public JsonElement Json => JsonDocument.Parse(Payload).RootElement;

    /// <summary>The last 20 of <paramref name="messages"/>, one "topic payload" a line, for a timeout's message.</summary>
    public static string Describe(IReadOnlyList<ReceivedMessage> messages) =>
        $"{messages.Count} messages:\n" + string.Join('\n', messages.TakeLast(20).Select(m => $"{m.Topic} {m.Payload}"));
}
