namespace GatewayAgent.Sip.Parsing;

/// <summary>
/// The strings made while parsing one message, so that a host or user written several times (the Request-URI and To,
/// the top Via, From and Contact) becomes one string. Lives on the parser's stack; never shared between messages.
/// </summary>
internal struct SipStringCache
{
    private string? _a;
    private string? _b;
    private string? _c;
    private string? _d;
    private int _next;

    /// <summary>The string of these characters: one made before for this message, else a new one (remembered).</summary>
    public string Get(ReadOnlySpan<char> chars)
    {
        if (Matches(_a, chars))
        {
            return _a!;
        }

        if (Matches(_b, chars))
        {
            return _b!;
        }

        if (Matches(_c, chars))
        {
            return _c!;
        }

        if (Matches(_d, chars))
        {
            return _d!;
        }

        var made = chars.ToString();
        switch (_next++ & 3)
        {
            case 0:
                _a = made;
                break;
            case 1:
                _b = made;
                break;
            case 2:
                _c = made;
                break;
            default:
                _d = made;
                break;
        }

        return made;
    }

    private static bool Matches(string? s, ReadOnlySpan<char> chars) => s is not null && chars.SequenceEqual(s);
}
