namespace GatewayAgent.Telemetry;

/// <summary>birth.json: the bdSeq of the last MQTT session the agent started.</summary>
public sealed record BirthSequenceState(long BdSeq);
