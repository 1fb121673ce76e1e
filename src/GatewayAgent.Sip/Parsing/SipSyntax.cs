using GatewayAgent.Sip.Messages;
using System.Text;

namespace GatewayAgent.Sip.Parsing;

/// <summary>The RFC 3261 §25 character classes and small lexical helpers shared by the typed header parsers.</summary>
public static class SipSyntax
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="IsToken(ReadOnlySpan{char})"/> for the bytes received (a token is ASCII).</summary>
    public static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var b in s)
        {
            if (b >= 0x80 || !IsTokenChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>word = 1*(token chars / "(" / ")" / "&lt;" / "&gt;" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"), as in Call-ID.</summary>
    public static bool IsWord(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(IsTokenChar(c) || c is '(' or ')' or '<' or '>' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '{' or '}'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsWhitespace(char c) => c is ' ' or '\t';

    /// <summary>
    /// Splits a header value on commas that are outside quoted strings and angle brackets.
    /// Returns false when a quote or bracket is left open.
    /// </summary>
    public static bool TrySplitList(string value, List<string> parts)
    {
        var inQuotes = false;
        var inBrackets = false;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
            }
            else if (c == '"')
            {
                inQuotes = true;
            }
            else if (c == '<')
            {
                inBrackets = true;
            }
            else if (c == '>')
            {
                inBrackets = false;
            }
            else if (c == ',' && !inBrackets)
            {
                parts.Add(value[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(value[start..].Trim());
        return !inQuotes && !inBrackets;
    }

    /// <summary>Reads a quoted-string starting at <paramref name="start"/> (which must be a DQUOTE); returns the index after the closing quote, or -1.</summary>
    public static int SkipQuotedString(ReadOnlySpan<char> s, int start)
    {
        for (var i = start + 1; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
            }
            else if (s[i] == '"')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>Removes the quotes and quoted-pair escapes of a quoted-string (which must include its quotes).</summary>
    public static string Unquote(ReadOnlySpan<char> quoted)
    {
        var inner = quoted[1..^1];
        if (inner.IndexOf('\\') < 0)
        {
            return inner.ToString();
        }

        var sb = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            sb.Append(inner[i]);
        }

        return sb.ToString();
    }

    /// <summary>Quotes a string for a quoted-string, escaping DQUOTE and backslash.</summary>
    public static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>
    /// Parses ";name[=value]" generic parameters (RFC 3261 generic-param) from <paramref name="s"/> into <paramref name="parameters"/>.
    /// Whitespace around ';' and '=' is allowed. Empty names, bad tokens or unbalanced quotes fail.
    /// </summary>
    public static bool TryParseParameters(ReadOnlySpan<char> s, SipParameters parameters) =>
        TryParseParametersCore(s, parameters ?? throw new ArgumentNullException(nameof(parameters)));

    /// <summary>Checks parameters as <see cref="TryParseParameters"/> does, keeping nothing.</summary>
    internal static bool AreValidParameters(ReadOnlySpan<char> s) => TryParseParametersCore(s, null);

    private static bool TryParseParametersCore(ReadOnlySpan<char> s, SipParameters? parameters)
    {
        var i = 0;
        while (true)
        {
            while (i < s.Length && IsWhitespace(s[i]))
            {
                i++;
            }

            if (i == s.Length)
            {
                return true;
            }

            if (s[i] != ';')
            {
                return false;
            }

            i++;
            while (i < s.Length && IsWhitespace(s[i]))
            {
                i++;
            }

            var nameStart = i;
            while (i < s.Length && IsTokenChar(s[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return false;
            }

            var name = s[nameStart..i];
            while (i < s.Length && IsWhitespace(s[i]))
            {
                i++;
            }

            var value = ReadOnlySpan<char>.Empty;
            var hasValue = false;
            if (i < s.Length && s[i] == '=')
            {
                i++;
                while (i < s.Length && IsWhitespace(s[i]))
                {
                    i++;
                }

                if (i < s.Length && s[i] == '"')
                {
                    var end = SkipQuotedString(s, i);
                    if (end < 0)
                    {
                        return false;
                    }

                    value = s[i..end];
                    hasValue = true;
                    i = end;
                }
                else
                {
                    var valueStart = i;
                    while (i < s.Length && (IsTokenChar(s[i]) || s[i] is '[' or ']' or ':'))
                    {
                        i++;
                    }

                    if (i == valueStart)
                    {
                        return false;
                    }

                    value = s[valueStart..i];
                    hasValue = true;
                }
            }

            parameters?.Add(SipParameters.NameOf(name), hasValue ? value.ToString() : null);
        }
    }

    /// <summary>Checks that every '%' in <paramref name="s"/> starts a valid %XX escape.</summary>
    public static bool HasValidEscapes(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return false;
                }

                i += 2;
            }
        }

        return true;
    }
}
