using Microsoft.Extensions.Options;

namespace GatewayAgent.Answering;

/// <summary>Validates <see cref="AgentSipOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
internal sealed partial class AgentSipOptionsValidator : IValidateOptions<AgentSipOptions>;
