using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Transactions;

/// <summary>Validates <see cref="SipTimerOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
public sealed partial class SipTimerOptionsValidator : IValidateOptions<SipTimerOptions>;
