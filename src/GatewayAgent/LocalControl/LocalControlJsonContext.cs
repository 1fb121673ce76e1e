using System.Text.Json.Serialization;

namespace GatewayAgent.LocalControl;

/// <summary>Source-generated JSON for the control socket: camelCase, nulls omitted, one object per line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LocalControlRequest))]
[JsonSerializable(typeof(LocalControlReply))]
[JsonSerializable(typeof(LocalStatusReport))]
public sealed partial class LocalControlJsonContext : JsonSerializerContext;
