using System.Text.Json.Serialization;

namespace GatewayAgent.Contracts;

/// <summary>Source-generated JSON for every payload: camelCase names, nulls omitted, enums as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AgentState))]
[JsonSerializable(typeof(AgentEvent))]
[JsonSerializable(typeof(TelemetrySnapshot))]
[JsonSerializable(typeof(CommandReply))]
[JsonSerializable(typeof(SelfTestResult))]
[JsonSerializable(typeof(ContractState))]
[JsonSerializable(typeof(BatteryReading))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
