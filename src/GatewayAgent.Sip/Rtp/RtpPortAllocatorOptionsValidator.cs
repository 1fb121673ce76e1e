using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Rtp;

/// <summary>Validates <see cref="RtpPortAllocatorOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
public sealed partial class RtpPortAllocatorOptionsValidator : IValidateOptions<RtpPortAllocatorOptions>;
