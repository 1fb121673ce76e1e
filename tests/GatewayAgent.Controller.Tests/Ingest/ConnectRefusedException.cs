using MQTTnet;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>The broker answered CONNECT with a refusal.</summary>
public sealed class ConnectRefusedException(MqttClientConnectResultCode resultCode)
    : Exception($"Connection refused: {resultCode}")
{
    public MqttClientConnectResultCode ResultCode { get; } = resultCode;
}
