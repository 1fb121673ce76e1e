using System.Collections.Frozen;

namespace GatewayAgent.Sip.Messages;

/// <summary>Header names: canonical spellings, compact forms (RFC 3261 §7.3.3) and which headers carry comma lists.</summary>
public static class HeaderNames
{
    public const string Accept = "Accept";
    public const string Allow = "Allow";
    public const string Authorization = "Authorization";
    public const string CallId = "Call-ID";
    public const string Contact = "Contact";
    public const string ContentDisposition = "Content-Disposition";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string CSeq = "CSeq";
    public const string Date = "Date";
    public const string Expires = "Expires";
    public const string From = "From";
    public const string MaxForwards = "Max-Forwards";
    public const string MinExpires = "Min-Expires";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string ProxyRequire = "Proxy-Require";
    public const string RecordRoute = "Record-Route";
    public const string Require = "Require";
    public const string RetryAfter = "Retry-After";
    public const string Route = "Route";
    public const string Server = "Server";
    public const string Supported = "Supported";
    public const string Timestamp = "Timestamp";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string Warning = "Warning";
    public const string WwwAuthenticate = "WWW-Authenticate";

    private static readonly FrozenDictionary<string, string> Canonical = new[]
    {
        Accept, "Accept-Encoding", "Accept-Language", "Alert-Info", Allow, "Allow-Events", "Authentication-Info",
        Authorization, CallId, "Call-Info", Contact, ContentDisposition, ContentEncoding, "Content-Language",
        ContentLength, ContentType, CSeq, Date, "Error-Info", "Event", Expires, From, "In-Reply-To", MaxForwards,
        "MIME-Version", MinExpires, "Min-SE", "Organization", "P-Asserted-Identity", "Priority", "Privacy",
        ProxyAuthenticate, ProxyAuthorization, ProxyRequire, "RAck", "Reason", RecordRoute, "Refer-To",
        "Referred-By", "Reply-To", Require, RetryAfter, Route, "RSeq", Server, "Session-Expires", "Subject",
        "Subscription-State", Supported, Timestamp, To, Unsupported, UserAgent, Via, Warning, WwwAuthenticate,
    }.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<char, string> Compact = new Dictionary<char, string>
    {
        ['a'] = "Accept-Contact", ['b'] = "Referred-By", ['c'] = ContentType, ['d'] = "Request-Disposition",
        ['e'] = ContentEncoding, ['f'] = From, ['i'] = CallId, ['j'] = "Reject-Contact", ['k'] = Supported,
        ['l'] = ContentLength, ['m'] = Contact, ['o'] = "Event", ['r'] = "Refer-To", ['s'] = "Subject",
        ['t'] = To, ['u'] = "Allow-Events", ['v'] = Via, ['x'] = "Session-Expires", ['y'] = "Identity",
    }.ToFrozenDictionary();

    // Headers whose comma-separated values are split into one entry each on parse (RFC 3261 §7.3.1).
    private static readonly FrozenSet<string> SplitLists = new[] { Via, Route, RecordRoute, Contact }
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Expands a compact form and returns the canonical spelling of a known header name.</summary>
    public static string Normalize(string name)
    {
        if (name.Length == 1 && Compact.TryGetValue(char.ToLowerInvariant(name[0]), out var full))
        {
            return full;
        }

        return Canonical.TryGetValue(name, out var canonical) ? canonical : name;
    }

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CanonicalBySpan =
        Canonical.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// <see cref="Normalize(string)"/> for a name as received (an RFC 3261 token, so ASCII): a known name or compact form gives
    /// its canonical constant without allocating; another name is returned as sent.
    /// </summary>
    public static string Normalize(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1 && Compact.TryGetValue(char.ToLowerInvariant((char)name[0]), out var full))
        {
            return full;
        }

        if (name.Length <= 32)
        {
            Span<char> chars = stackalloc char[name.Length];
            for (var i = 0; i < name.Length; i++)
            {
                chars[i] = (char)name[i];
            }

            if (CanonicalBySpan.TryGetValue(chars, out var canonical))
            {
                return canonical;
            }
        }

        return System.Text.Encoding.UTF8.GetString(name);
    }

    /// <summary>True for the list headers the parser splits into one entry per value.</summary>
    public static bool IsSplitList(string canonicalName) => SplitLists.Contains(canonicalName);
}
