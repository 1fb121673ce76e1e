using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Hosting;

/// <summary>
/// Recognises the startup failures an operator can fix from one line: an options value that fails validation or
/// does not convert (exit 2, naming the key) and a listen address already in use (exit 1, naming the address).
/// </summary>
public static partial class StartupErrors
{
    /// <summary>The error for <paramref name="exception"/>, or null when it is not one of the recognised kinds.</summary>
    public static StartupError? Classify(Exception exception, IEnumerable<OptionsSection> sections)
    {
        var chain = Flatten(exception).ToList();
        var validation = chain.OfType<OptionsValidationException>().ToList();
        if (validation.Count > 0)
        {
            var known = sections.ToList();
            return StartupError.InvalidConfiguration([.. validation.SelectMany(v => Describe(v, known)).Distinct()]);
        }

        foreach (var ex in chain)
        {
            var conversion = ex is InvalidOperationException ? ConversionFailure().Match(ex.Message) : Match.Empty;
            if (conversion.Success)
            {
                var type = conversion.Groups["type"].Value;
                return StartupError.InvalidConfiguration(
                    $"{conversion.Groups["key"].Value}: '{conversion.Groups["value"].Value}' is not a valid {type[(type.LastIndexOf('.') + 1)..]}");
            }
        }

        // The outermost message on the way to the socket error names the address (the SIP transport, Kestrel, the
        // MQTT broker and the SMTP sink all say which address they could not bind).
        var inUse = chain.FindIndex(e => e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse });
        if (inUse >= 0)
        {
            var named = chain.Take(inUse + 1).First(e => e is not AggregateException);
            var message = named.Message.TrimEnd('.');
            return StartupError.CannotStart(message.Contains("in use", StringComparison.OrdinalIgnoreCase) ? message : $"{message}: address already in use");
        }

        return null;
    }

    /// <summary>
    /// One line per failure: "Section:Member: message" for data annotations (validated by reflection or by a
    /// source-generated validator), the failure itself when it names its key.
    /// </summary>
    public static IEnumerable<string> Describe(OptionsValidationException exception, IReadOnlyList<OptionsSection> sections)
    {
        var section = sections.FirstOrDefault(s => s.OptionsType == exception.OptionsType)?.Path ?? exception.OptionsType.Name;
        foreach (var failure in exception.Failures)
        {
            var match = DataAnnotationFailure().Match(failure) is { Success: true } reflected ? reflected : GeneratedFailure().Match(failure);
            if (match.Success)
            {
                var members = match.Groups["member"].Value.Split(',', StringSplitOptions.TrimEntries);
                var member = string.Join(',', members);
                var message = match.Groups["error"].Value;
                // A source-generated validator ([OptionsValidator]) lists members as "A, B" and names a member
                // "Type.Member" in its message where the reflection one says "A,B" and "Member": the line reads the same
                // whichever validated.
                foreach (var name in members)
                {
                    message = message.Replace($"{exception.OptionsType.Name}.{name}", name, StringComparison.Ordinal);
                }

                yield return message.StartsWith(section, StringComparison.Ordinal)
                    ? message
                    : $"{section}:{member}: {message}";
            }
            else
            {
                yield return failure.StartsWith(section, StringComparison.Ordinal) ? failure : $"{section}: {failure}";
            }
        }
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }

    [GeneratedRegex("members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$")]
    private static partial Regex DataAnnotationFailure();

    /// <summary>A failure from a source-generated validator (ValidateOptionsResultBuilder): "Member, Member: message".</summary>
    [GeneratedRegex("^(?<member>[A-Za-z_][A-Za-z0-9_]*(, [A-Za-z_][A-Za-z0-9_]*)*): (?<error>.*)$")]
    private static partial Regex GeneratedFailure();

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
