using System.Diagnostics.CodeAnalysis;
using System.Text;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Messages;

/// <summary>
/// A name-addr or addr-spec with header parameters, as in From, To, Contact, Route and Record-Route (RFC 3261 §20.10).
/// </summary>
public sealed class NameAddress
{
    public NameAddress(SipUri uri, string? displayName = null)
    {
        Uri = uri;
        DisplayName = displayName;
    }

    /// <summary>The display name without quotes or escapes; null when absent.</summary>
    public string? DisplayName { get; set; }

    public SipUri Uri { get; set; }

    private SipParameters? _parameters;

    /// <summary>Header parameters (tag, expires, q, ...), outside the angle brackets (made on first use).</summary>
    public SipParameters Parameters
    {
        get => _parameters ??= new();
        private set => _parameters = value;
    }

    public string? Tag
    {
        get => _parameters?["tag"];
        set
        {
            if (value is null)
            {
                Parameters.Remove("tag");
            }
            else
            {
                Parameters.Set("tag", value);
            }
        }
    }

    public static bool TryParse(string value, [NotNullWhen(true)] out NameAddress? address) => TryParse(value, out address, out _);

    public static bool TryParse(string value, [NotNullWhen(true)] out NameAddress? address, out string? error) =>
        TryParse(value.AsSpan(), out address, out error);

    /// <summary>Parses a value from a slice (of the received bytes); only the parts kept become strings.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out NameAddress? address, out string? error)
    {
        var strings = default(SipStringCache);
        return TryParse(value, create: true, ref strings, out address, out error);
    }

    /// <summary>Checks a value as <see cref="TryParse(ReadOnlySpan{char}, out NameAddress?, out string?)"/> does, making nothing.</summary>
    internal static bool IsValid(ReadOnlySpan<char> value, out string? error)
    {
        var strings = default(SipStringCache);
        return TryParse(value, create: false, ref strings, out _, out error);
    }

    /// <summary>Parses (create) or checks a value; the URI's user and host come from the message's <paramref name="strings"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<char> value, bool create, ref SipStringCache strings, out NameAddress? address, out string? error)
    {
        address = null;
        var s = value.Trim();
        if (s.IsEmpty)
        {
            error = "empty address";
            return false;
        }

        string? displayName = null;
        ReadOnlySpan<char> uriText;
        ReadOnlySpan<char> paramsPart;
        var lt = FindOpenBracket(s, out var displayEnd);
        if (lt == -2)
        {
            error = "unterminated quoted display name";
            return false;
        }

        if (lt >= 0)
        {
            var display = s[..displayEnd].Trim();
            if (!display.IsEmpty)
            {
                if (display[0] == '"')
                {
                    var end = SipSyntax.SkipQuotedString(display, 0);
                    if (end != display.Length)
                    {
                        error = "malformed quoted display name";
                        return false;
                    }

                    displayName = create ? SipSyntax.Unquote(display) : null;
                }
                else
                {
                    // *(token LWS): an unquoted display name is tokens separated by whitespace.
                    foreach (var range in display.SplitAny(' ', '\t'))
                    {
                        var word = display[range];
                        if (!word.IsEmpty && !SipSyntax.IsToken(word))
                        {
                            error = "display name must be quoted";
                            return false;
                        }
                    }

                    displayName = create ? display.ToString() : null;
                }
            }

            var gt = s[lt..].IndexOf('>');
            if (gt < 0)
            {
                error = "missing '>'";
                return false;
            }

            uriText = s.Slice(lt + 1, gt - 1);
            if (uriText.Length == 0 || SipSyntax.IsWhitespace(uriText[0]) || SipSyntax.IsWhitespace(uriText[^1]))
            {
                error = "whitespace inside '<' '>'";
                return false;
            }

            paramsPart = s[(lt + gt + 1)..];
        }
        else
        {
            // addr-spec: the URI ends at the first ';' and may not contain ',', '?' or ';' (RFC 3261 §20.10).
            var semicolon = s.IndexOf(';');
            var spec = (semicolon < 0 ? s : s[..semicolon]).TrimEnd();
            if (spec.IndexOfAny(',', '?') >= 0 || spec.IndexOfAny(' ', '\t') >= 0)
            {
                error = "an address with '?', ',' or spaces must be enclosed in '<' '>'";
                return false;
            }

            uriText = spec;
            paramsPart = semicolon < 0 ? [] : s[semicolon..];
        }

        SipUri? uri = null;
        if (!SipUri.TryParse(uriText, create, ref strings, out uri, out error))
        {
            return false;
        }

        SipParameters? parameters = null;
        if (!paramsPart.TrimStart(" \t").IsEmpty)
        {
            if (create ? !SipSyntax.TryParseParameters(paramsPart, parameters = new SipParameters()) : !SipSyntax.AreValidParameters(paramsPart))
            {
                error = "malformed header parameter";
                return false;
            }
        }

        address = create ? new NameAddress(uri!, displayName) { _parameters = parameters } : null;
        error = null;
        return true;
    }

    // Index of the '<' that opens a name-addr, outside quotes; -1 when there is none, -2 on an open quote.
    private static int FindOpenBracket(ReadOnlySpan<char> s, out int displayEnd)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '"')
            {
                var end = SipSyntax.SkipQuotedString(s, i);
                if (end < 0)
                {
                    displayEnd = 0;
                    return -2;
                }

                i = end - 1;
            }
            else if (s[i] == '<')
            {
                displayEnd = i;
                return i;
            }
            else if (s[i] == ';')
            {
                break;
            }
        }

        displayEnd = 0;
        return -1;
    }

    public NameAddress Clone() => new(Uri.Clone(), DisplayName) { _parameters = _parameters?.Clone() };

    /// <summary>Canonical form: always name-addr ("Display" &lt;uri&gt;;params).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(80);
        if (!string.IsNullOrEmpty(DisplayName))
        {
            sb.Append(SipSyntax.Quote(DisplayName)).Append(' ');
        }

        sb.Append('<').Append(Uri).Append('>');
        _parameters?.AppendTo(sb);
        return sb.ToString();
    }
}
