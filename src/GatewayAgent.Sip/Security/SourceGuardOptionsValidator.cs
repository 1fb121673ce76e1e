using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Security;

/// <summary>Validates <see cref="SourceGuardOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
public sealed partial class SourceGuardOptionsValidator : IValidateOptions<SourceGuardOptions>;
