using Microsoft.Extensions.Options;

namespace GatewayAgent.Telemetry;

/// <summary>Validates <see cref="TelemetryOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
