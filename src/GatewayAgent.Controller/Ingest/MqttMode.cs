namespace GatewayAgent.Controller.Ingest;

/// <summary>Where the controller gets its agents' MQTT traffic from (Controller:Mqtt:Mode).</summary>
public enum MqttMode
{
    /// <summary>The controller hosts an MQTTnet broker; agents connect to it directly.</summary>
    Embedded,

    /// <summary>The controller is a client of an external broker (mosquitto, EMQX...) with shared subscriptions.</summary>
    External,
}
