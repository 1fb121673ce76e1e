using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Api;

/// <summary>API keys must be long enough to resist guessing.</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        for (var i = 0; i < options.Keys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Keys[i]) || options.Keys[i].Length < MinimumKeyLength)
            {
                return ValidateOptionsResult.Fail($"Controller:Api:Keys:{i} must be at least {MinimumKeyLength} characters");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
