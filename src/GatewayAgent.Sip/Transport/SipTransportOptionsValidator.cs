using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Transport;

/// <summary>Validates <see cref="SipTransportOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
public sealed partial class SipTransportOptionsValidator : IValidateOptions<SipTransportOptions>;
