using System.Diagnostics.CodeAnalysis;
using System.Text;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Messages;

/// <summary>
/// A sip:, sips: (RFC 3261 §19.1) or tel: (RFC 3966) URI. Other schemes parse with <see cref="IsSupportedScheme"/> false
/// so that a UAS can answer 416 instead of failing the whole message.
/// </summary>
public sealed class SipUri
{
    private SipUri(string scheme)
    {
        Scheme = scheme;
    }

    /// <summary>Lower-case scheme: "sip", "sips", "tel" or another.</summary>
    public string Scheme { get; }

    /// <summary>User part as written (still %-escaped); for tel: the number.</summary>
    public string? User { get; set; }

    public string? Password
    {
        get => _rare?.Password;
        set => Rare(value)?.Password = value;
    }

    /// <summary>Host (IPv6 references keep their brackets); empty for tel: and unknown schemes.</summary>
    public string Host { get; set; } = "";

    public int? Port { get; set; }

    private SipParameters? _parameters;

    /// <summary>The ;name=value parameters (made on first use: most URIs have none).</summary>
    public SipParameters Parameters
    {
        get => _parameters ??= new();
        private set => _parameters = value;
    }

    /// <summary>The "?name=value&amp;..." headers part, raw, without the '?'; null when absent.</summary>
    public string? Headers
    {
        get => _rare?.Headers;
        set => Rare(value)?.Headers = value;
    }

    /// <summary>For schemes other than sip, sips and tel: everything after the colon.</summary>
    public string? Opaque
    {
        get => _rare?.Opaque;
        private set => Rare(value)?.Opaque = value;
    }

    // The parts few URIs have, out of line so that a common URI is a smaller object.
    private RareParts? _rare;

    // The rare parts to set a value in (made for a non-null value); null when there is nothing to do.
    private RareParts? Rare(string? value) => value is null && _rare is null ? null : _rare ??= new RareParts();

    public bool IsSupportedScheme => Scheme is "sip" or "sips" or "tel";

    public bool IsSecure => Scheme == "sips";

    /// <summary>The user part with %XX escapes decoded.</summary>
    public string? UserUnescaped => User is null ? null : Uri.UnescapeDataString(User);

    public static SipUri Create(string scheme, string? user, string host, int? port = null) =>
        new(scheme) { User = user, Host = host, Port = port };

    public static SipUri Parse(string s) =>
        TryParse(s, out var uri, out var error) ? uri : throw new FormatException(error);

    public static bool TryParse(string s, [NotNullWhen(true)] out SipUri? uri) => TryParse(s, out uri, out _);

    public static bool TryParse(string s, [NotNullWhen(true)] out SipUri? uri, out string? error) =>
        TryParse(s.AsSpan(), out uri, out error);

    /// <summary>Parses a URI from a slice (of a header value); only the parts kept become strings.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out SipUri? uri, out string? error)
    {
        var strings = default(SipStringCache);
        return TryParse(s, create: true, ref strings, out uri, out error);
    }

    /// <summary>Checks a URI as <see cref="TryParse(ReadOnlySpan{char}, out SipUri?, out string?)"/> does, making nothing.</summary>
    internal static bool IsValid(ReadOnlySpan<char> s, out string? error)
    {
        var strings = default(SipStringCache);
        return TryParse(s, create: false, ref strings, out _, out error);
    }

    /// <summary>Parses (create) or checks a URI; its user and host come from the message's <paramref name="strings"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<char> s, bool create, ref SipStringCache strings, out SipUri? uri, out string? error)
    {
        uri = null;
        error = null;
        var colon = s.IndexOf(':');
        if (colon <= 0 || !IsScheme(s[..colon]))
        {
            error = "URI has no scheme";
            return false;
        }

        foreach (var c in s)
        {
            if (c <= ' ' || c is '<' or '>' or '"' || c == 0x7F)
            {
                error = "URI contains whitespace, a control character or a delimiter";
                return false;
            }
        }

        if (!SipSyntax.HasValidEscapes(s))
        {
            error = "URI has a malformed %-escape";
            return false;
        }

        var schemeText = s[..colon];
        var rest = s[(colon + 1)..];
        var result = create ? new SipUri(SchemeOf(schemeText)) : null;
        if (schemeText.Equals("sip", StringComparison.OrdinalIgnoreCase) || schemeText.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseSip(rest, result, ref strings, out error))
            {
                return false;
            }
        }
        else if (schemeText.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseTel(rest, result, out error))
            {
                return false;
            }
        }
        else
        {
            if (rest.Length == 0)
            {
                error = "URI is empty after its scheme";
                return false;
            }

            result?.Opaque = rest.ToString();
        }

        uri = result;
        return true;
    }

    private static string SchemeOf(ReadOnlySpan<char> s) =>
        s.Equals("sip", StringComparison.OrdinalIgnoreCase) ? "sip"
        : s.Equals("sips", StringComparison.OrdinalIgnoreCase) ? "sips"
        : s.Equals("tel", StringComparison.OrdinalIgnoreCase) ? "tel"
        : s.ToString().ToLowerInvariant();

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        if (!char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    // Reads the part after "sip:"/"sips:" into result; with result null it only checks it.
    private static bool TryParseSip(ReadOnlySpan<char> rest, SipUri? result, ref SipStringCache strings, out string? error)
    {
        error = null;
        // The user part may hold '?', ';' and ',' (user-unreserved) but never an unescaped '@': split there first.
        var at = rest.IndexOf('@');
        var afterUser = at < 0 ? rest : rest[(at + 1)..];
        var question = afterUser.IndexOf('?');
        var hostPart = question < 0 ? afterUser : afterUser[..question];
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var passColon = userInfo.IndexOf(':');
            var user = passColon < 0 ? userInfo : userInfo[..passColon];
            if (user.Length == 0)
            {
                error = "URI has an empty user part";
                return false;
            }

            if (result is not null)
            {
                result.User = strings.Get(user);
                result.Password = passColon < 0 ? null : userInfo[(passColon + 1)..].ToString();
            }
        }

        var semicolon = hostPart.IndexOf(';');
        var hostPort = semicolon < 0 ? hostPart : hostPart[..semicolon];
        if (semicolon >= 0)
        {
            var parameters = result is null ? null : new SipParameters();
            if (!TryParseUriParameters(hostPart[semicolon..], parameters))
            {
                error = "URI has a malformed parameter";
                return false;
            }

            result?.Parameters = parameters!;
        }

        if (!TrySplitHostPortRange(hostPort, out var host, out var port))
        {
            error = "URI has an invalid host or port";
            return false;
        }

        if (result is not null)
        {
            result.Host = strings.Get(hostPort[host]);
            result.Port = port;
            if (question >= 0)
            {
                result.Headers = afterUser[(question + 1)..].ToString();
            }
        }

        return true;
    }

    private static bool TryParseTel(ReadOnlySpan<char> rest, SipUri? result, out string? error)
    {
        error = null;
        var semicolon = rest.IndexOf(';');
        var number = semicolon < 0 ? rest : rest[..semicolon];
        if (number.Length == 0)
        {
            error = "tel URI has no number";
            return false;
        }

        result?.User = number.ToString();
        if (semicolon >= 0)
        {
            var parameters = result is null ? null : new SipParameters();
            if (!TryParseUriParameters(rest[semicolon..], parameters))
            {
                error = "tel URI has a malformed parameter";
                return false;
            }

            result?.Parameters = parameters!;
        }

        return true;
    }

    // uri-parameter = pname [ "=" pvalue ]; pchars are looser than tokens (escapes, "[]/:&+$").
    private static bool TryParseUriParameters(ReadOnlySpan<char> s, SipParameters? parameters)
    {
        foreach (var range in s[1..].Split(';'))
        {
            var p = s[1..][range];
            var eq = p.IndexOf('=');
            var name = eq < 0 ? p : p[..eq];
            if (name.IsEmpty || !IsParamChars(name) || (eq >= 0 && !IsParamChars(p[(eq + 1)..])))
            {
                return false;
            }

            parameters?.Add(SipParameters.NameOf(name), eq < 0 ? null : p[(eq + 1)..].ToString());
        }

        return true;
    }

    private static bool IsParamChars(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.!~*'()%[]/:&+$".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits "host[:port]" and validates the host (hostname, IPv4 or [IPv6]) and port (0–65535).</summary>
    public static bool TrySplitHostPort(string hostPort, out string host, out int? port) =>
        TrySplitHostPort(hostPort.AsSpan(), out host, out port);

    /// <inheritdoc cref="TrySplitHostPort(string, out string, out int?)"/>
    public static bool TrySplitHostPort(ReadOnlySpan<char> hostPort, out string host, out int? port)
    {
        var valid = TrySplitHostPortRange(hostPort, out var hostRange, out port);
        host = valid ? hostPort[hostRange].ToString() : "";
        return valid;
    }

    /// <summary>As <see cref="TrySplitHostPort(ReadOnlySpan{char}, out string, out int?)"/>, the host as a range of the input.</summary>
    internal static bool TrySplitHostPortRange(ReadOnlySpan<char> hostPort, out Range host, out int? port)
    {
        host = default;
        port = null;
        ReadOnlySpan<char> portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            if (!System.Net.IPAddress.TryParse(hostPort[1..close], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = ..(close + 1);
            portText = hostPort[(close + 1)..];
            if (portText.Length > 0 && portText[0] != ':')
            {
                return false;
            }

            portText = portText.Length > 0 ? portText[1..] : [];
        }
        else
        {
            var colon = hostPort.IndexOf(':');
            var name = colon < 0 ? hostPort : hostPort[..colon];
            portText = colon < 0 ? [] : hostPort[(colon + 1)..];
            if (colon >= 0 && portText.Length == 0)
            {
                return false;
            }

            if (!IsHostName(name))
            {
                return false;
            }

            host = ..name.Length;
        }

        if (portText.Length > 0)
        {
            if (portText.Length > 5 || !int.TryParse(portText, System.Globalization.NumberStyles.None, null, out var p) || p > 65535)
            {
                return false;
            }

            port = p;
        }

        return true;
    }

    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (host.Length == 0 || host.Length > 255)
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return host[0] != '.' && host[0] != '-';
    }

    /// <summary>"host:port" as written in a Via sent-by (port omitted when absent).</summary>
    public string HostPort => Port is { } p ? $"{Host}:{p}" : Host;

    public SipUri Clone()
    {
        var copy = (SipUri)MemberwiseClone();
        copy._parameters = _parameters?.Clone();
        copy._rare = _rare is null ? null : _rare with { };
        return copy;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(64);
        sb.Append(Scheme).Append(':');
        if (Opaque is not null)
        {
            return sb.Append(Opaque).ToString();
        }

        if (Scheme == "tel")
        {
            sb.Append(User);
            _parameters?.AppendTo(sb);
            return sb.ToString();
        }

        if (User is not null)
        {
            sb.Append(User);
            if (Password is not null)
            {
                sb.Append(':').Append(Password);
            }

            sb.Append('@');
        }

        sb.Append(Host);
        if (Port is { } port)
        {
            sb.Append(':').Append(port);
        }

        _parameters?.AppendTo(sb);
        if (Headers is not null)
        {
            sb.Append('?').Append(Headers);
        }

        return sb.ToString();
    }

    private sealed record RareParts
    {
        public string? Password { get; set; }

        public string? Headers { get; set; }

        public string? Opaque { get; set; }
    }
}
