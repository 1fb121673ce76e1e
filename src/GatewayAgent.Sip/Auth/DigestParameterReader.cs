using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace GatewayAgent.Sip.Auth;

/// <summary>
/// Reads the auth-param lists of <c>WWW-Authenticate</c>, <c>Proxy-Authenticate</c>, <c>Authorization</c> and
/// <c>Proxy-Authorization</c> values (RFC 3261 §25.1, RFC 7235 §2.1): a scheme, then comma-separated
/// <c>name=token</c> or <c>name="quoted string"</c> pairs. A value may hold several schemes one after another.
/// </summary>
internal static class DigestParameterReader
{
    /// <summary>Longest header value read; beyond this the value is refused.</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>One scheme and its parameters; names compare case-insensitively.</summary>
    internal sealed record Section(string Scheme, IReadOnlyDictionary<string, string> Parameters);

    public static bool TryRead(string? value, [NotNullWhen(true)] out List<Section>? sections, [NotNullWhen(false)] out string? error)
    {
        sections = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "the header value is empty";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"the header value is longer than {MaxLength} characters";
            return false;
        }

        var found = new List<Section>();
        var position = 0;
        SkipSeparators(value, ref position);
        while (position < value.Length)
        {
            var scheme = ReadToken(value, ref position);
            if (scheme.Length == 0)
            {
                error = $"expected an authentication scheme at position {position}";
                return false;
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            SkipWhitespace(value, ref position);
            if (position < value.Length && value[position] == ',')
            {
                // A scheme without parameters, e.g. "Basic, Digest realm=...".
                found.Add(new Section(scheme, parameters));
                SkipSeparators(value, ref position);
                continue;
            }

            while (true)
            {
                SkipWhitespace(value, ref position);
                if (position >= value.Length)
                {
                    break;
                }

                // Either the next parameter, or (after a comma) the next scheme: a token not followed by '='.
                var start = position;
                var name = ReadToken(value, ref position);
                if (name.Length == 0)
                {
                    error = $"expected a parameter name at position {start}";
                    return false;
                }

                SkipWhitespace(value, ref position);
                if (position >= value.Length || value[position] != '=')
                {
                    if (parameters.Count == 0)
                    {
                        error = $"expected '=' after '{name}'";
                        return false;
                    }

                    position = start;
                    break;
                }

                position++; // '='
                SkipWhitespace(value, ref position);
                if (!TryReadValue(value, ref position, out var parameterValue, out error))
                {
                    return false;
                }

                if (!parameters.TryAdd(name, parameterValue))
                {
                    error = $"parameter '{name}' appears twice";
                    return false;
                }

                SkipWhitespace(value, ref position);
                if (position >= value.Length)
                {
                    break;
                }

                if (value[position] != ',')
                {
                    error = $"expected ',' at position {position}";
                    return false;
                }

                SkipSeparators(value, ref position);
            }

            found.Add(new Section(scheme, parameters));
            SkipSeparators(value, ref position);
        }

        sections = found;
        error = null;
        return true;
    }

    /// <summary>Writes a quoted-string, escaping <c>"</c> and <c>\</c>.</summary>
    public static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }

    private static bool TryReadValue(string value, ref int position, [NotNullWhen(true)] out string? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (position < value.Length && value[position] == '"')
        {
            var text = new StringBuilder();
            position++;
            while (position < value.Length)
            {
                var c = value[position++];
                if (c == '"')
                {
                    result = text.ToString();
                    error = null;
                    return true;
                }

                if (c == '\\')
                {
                    if (position >= value.Length)
                    {
                        break;
                    }

                    c = value[position++];
                }

                if (char.IsControl(c) && c != '\t')
                {
                    error = "control character in a quoted string";
                    return false;
                }

                text.Append(c);
            }

            error = "unterminated quoted string";
            return false;
        }

        // A token; read leniently up to the next separator, since some servers leave base64 nonces unquoted.
        var start = position;
        while (position < value.Length && value[position] is not (',' or ' ' or '\t' or '\r' or '\n' or '"'))
        {
            if (char.IsControl(value[position]))
            {
                error = "control character in a parameter value";
                return false;
            }

            position++;
        }

        if (position == start)
        {
            error = $"expected a parameter value at position {start}";
            return false;
        }

        result = value[start..position];
        error = null;
        return true;
    }

    private static string ReadToken(string value, ref int position)
    {
        var start = position;
        while (position < value.Length && IsTokenChar(value[position]))
        {
            position++;
        }

        return value[start..position];
    }

    // RFC 3261 §25.1 token characters.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    private static void SkipWhitespace(string value, ref int position)
    {
        while (position < value.Length && value[position] is ' ' or '\t' or '\r' or '\n')
        {
            position++;
        }
    }

    private static void SkipSeparators(string value, ref int position)
    {
        while (position < value.Length && value[position] is ' ' or '\t' or '\r' or '\n' or ',')
        {
            position++;
        }
    }
}
