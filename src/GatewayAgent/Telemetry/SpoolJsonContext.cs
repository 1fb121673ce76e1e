using System.Text.Json.Serialization;

namespace GatewayAgent.Telemetry;

/// <summary>Source-generated JSON for the spool's own files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpoolCursor))]
[JsonSerializable(typeof(BirthSequenceState))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
