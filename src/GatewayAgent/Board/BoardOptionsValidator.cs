using Microsoft.Extensions.Options;

namespace GatewayAgent.Board;

/// <summary>Validates <see cref="BoardOptions"/> by its data annotations in code generated at build time (no reflection: trimmed and Native AOT builds).</summary>
[OptionsValidator]
internal sealed partial class BoardOptionsValidator : IValidateOptions<BoardOptions>;
