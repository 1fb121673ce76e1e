using Microsoft.Extensions.Options;

namespace GatewayAgent.Telemetry;

/// <summary>Validates <see cref="MqttOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
internal sealed partial class MqttOptionsValidator : IValidateOptions<MqttOptions>;
