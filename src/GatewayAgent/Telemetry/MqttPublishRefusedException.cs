namespace GatewayAgent.Telemetry;

/// <summary>The broker answered a QoS 1 publish with an error reason code (typically NotAuthorized from the ACL).</summary>
public sealed class MqttPublishRefusedException(string topic, string reasonCode, string? reasonString)
    : IOException($"broker refused publish to {topic}: {reasonCode}{(string.IsNullOrEmpty(reasonString) ? "" : " " + reasonString)}")
{
    public string Topic { get; } = topic;

    public string ReasonCode { get; } = reasonCode;
}
