using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Api;

/// <summary>API keys must be long enough to resist guessing; named keys need a unique name and exactly one secret.</summary>
public sealed partial class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Keys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Keys[i]) || options.Keys[i].Length < MinimumKeyLength)
            {
                failures.Add($"Controller:Api:Keys:{i} must be at least {MinimumKeyLength} characters");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.NamedKeys.Count; i++)
        {
            var key = options.NamedKeys[i];
            var at = $"Controller:Api:NamedKeys:{i}";
            if (key.Name is null || !KeyName().IsMatch(key.Name))
            {
                failures.Add($"{at}:Name must be 1-64 characters of A-Z a-z 0-9 _ . -");
            }
            else if (!names.Add(key.Name) || IsLegacyName(key.Name, options.Keys.Count))
            {
                failures.Add($"{at}:Name '{key.Name}' is used twice");
            }

            if (string.IsNullOrEmpty(key.Key) == string.IsNullOrEmpty(key.KeySha256))
            {
                failures.Add($"{at}: give exactly one of Key and KeySha256");
            }
            else if (key.Key is { } secret && (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumKeyLength))
            {
                failures.Add($"{at}:Key must be at least {MinimumKeyLength} characters");
            }
            else if (key.KeySha256 is { Length: > 0 } hash && !Sha256Hex().IsMatch(hash))
            {
                failures.Add($"{at}:KeySha256 must be 64 hex digits (sha256sum of the key)");
            }

            if (!Enum.IsDefined(key.Role))
            {
                failures.Add($"{at}:Role must be read, operate or admin");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The name an unnamed key of Controller:Api:Keys gets: "key-N".</summary>
    public static string LegacyName(int index) => $"key-{index}";

    private static bool IsLegacyName(string name, int count) => Enumerable.Range(0, count).Any(i => LegacyName(i) == name);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyName();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial Regex Sha256Hex();
}
