namespace GatewayAgent.Status;

/// <summary>The MQTT telemetry connection as the CLOUD LED shows it.</summary>
public enum CloudState
{
    /// <summary>No Agent:Mqtt:Host: telemetry is off.</summary>
    Disabled,
    Connecting,
    Connected,
    Disconnected,
}
