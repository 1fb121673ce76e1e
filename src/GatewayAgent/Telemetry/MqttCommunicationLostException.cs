namespace GatewayAgent.Telemetry;

/// <summary>The broker connection dropped during a session.</summary>
public sealed class MqttCommunicationLostException(string message) : IOException(message);
