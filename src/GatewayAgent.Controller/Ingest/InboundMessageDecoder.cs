using System.Buffers;
using System.Text.Json;
using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Turns an agent topic's payload into its contract record (source-generated JSON, no reflection).</summary>
internal static class InboundMessageDecoder
{
    /// <summary>The decoded message, or null when the topic is not ingested or the payload is not valid JSON for it.</summary>
    public static InboundMessage? Decode(AgentTopic topic, ReadOnlySequence<byte> payload, bool retained, DateTimeOffset receivedAt)
    {
        try
        {
            switch (topic.Kind)
            {
                case AgentTopicKind.State:
                    var state = Read(payload, ContractsJsonContext.Default.AgentState);
                    return state is null ? null : new InboundState(topic.SiteId, receivedAt, state, retained);
                case AgentTopicKind.Telemetry:
                    var snapshot = Read(payload, ContractsJsonContext.Default.TelemetrySnapshot);
                    return snapshot is null ? null : new InboundTelemetry(topic.SiteId, receivedAt, snapshot);
                case AgentTopicKind.Events:
                    var agentEvent = Read(payload, ContractsJsonContext.Default.AgentEvent);
                    return agentEvent is null || string.IsNullOrEmpty(agentEvent.Id) ? null : new InboundEvent(topic.SiteId, receivedAt, agentEvent);
                default:
                    return null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static CommandReply? DecodeReply(ReadOnlySequence<byte> payload)
    {
        try
        {
            return Read(payload, ContractsJsonContext.Default.CommandReply);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T? Read<T>(ReadOnlySequence<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        if (payload.IsEmpty)
        {
            return default;
        }

        var reader = new Utf8JsonReader(payload);
        return JsonSerializer.Deserialize(ref reader, typeInfo);
    }
}
