using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>Validates <see cref="ProbeAnswererOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
public sealed partial class ProbeAnswererOptionsValidator : IValidateOptions<ProbeAnswererOptions>;
