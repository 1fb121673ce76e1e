using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace GatewayAgent;

/// <summary>Turns options validation failures into one line per bad key, named as the operator writes it.</summary>
public static partial class ConfigurationErrors
{
    private static readonly Dictionary<Type, string> Sections = [];

    /// <summary>Records which configuration section an options type binds, so errors can name the full key.</summary>
    public static void Register<TOptions>(string section) => Sections[typeof(TOptions)] = section;

    public static IEnumerable<string> Describe(OptionsValidationException exception)
    {
        var section = Sections.GetValueOrDefault(exception.OptionsType, exception.OptionsType.Name);
        foreach (var failure in exception.Failures)
        {
            var match = DataAnnotationFailure().Match(failure);
            if (match.Success)
            {
                var message = match.Groups["error"].Value;
                yield return message.StartsWith(section, StringComparison.Ordinal)
                    ? message
                    : $"{section}:{match.Groups["member"].Value}: {message}";
            }
            else
            {
                yield return failure.StartsWith(section, StringComparison.Ordinal) ? failure : $"{section}: {failure}";
            }
        }
    }

    [GeneratedRegex("members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$")]
    private static partial Regex DataAnnotationFailure();
}
