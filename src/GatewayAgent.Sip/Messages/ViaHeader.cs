using System.Diagnostics.CodeAnalysis;
using System.Text;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Messages;

/// <summary>One Via value: SIP/2.0/transport sent-by;params (RFC 3261 §20.42, received/rport per RFC 3581).</summary>
public sealed class ViaHeader
{
    /// <summary>The branch magic cookie of RFC 3261 §8.1.1.7.</summary>
    public const string MagicCookie = "z9hG4bK";

    public ViaHeader(string transport, string host, int? port, string? branch = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Transport = TransportOf(transport);
        Host = host;
        Port = port;
        Parameters = new SipParameters();
        if (branch is not null)
        {
            Parameters.Add("branch", branch);
        }
    }

    // protocol-name and protocol-version other than SIP/2.0 (null: SIP/2.0, what every Via says).
    private string[]? _protocol;

    public string ProtocolName => _protocol?[0] ?? "SIP";

    public string ProtocolVersion => _protocol?[1] ?? "2.0";

    /// <summary>Upper-case transport token (UDP, TCP, TLS, SCTP, WS, or an extension).</summary>
    public string Transport { get; }

    public string Host { get; }

    public int? Port { get; }

    public SipParameters Parameters { get; private set; }

    public string? Branch => Parameters["branch"];

    /// <summary>True when the branch starts with the RFC 3261 magic cookie; otherwise RFC 2543 matching applies.</summary>
    public bool HasRfc3261Branch => Branch?.StartsWith(MagicCookie, StringComparison.Ordinal) == true;

    public string? Received
    {
        get => Parameters["received"];
        set => Parameters.Set("received", value);
    }

    /// <summary>True when an rport parameter is present (with or without a value).</summary>
    public bool HasRport => Parameters.Contains("rport");

    public int? Rport => int.TryParse(Parameters["rport"], out var p) ? p : null;

    public string? Maddr => Parameters["maddr"];

    public string SentBy => Port is { } p ? $"{Host}:{p}" : Host;

    public static bool TryParse(string value, [NotNullWhen(true)] out ViaHeader? via) => TryParse(value, out via, out _);

    public static bool TryParse(string value, [NotNullWhen(true)] out ViaHeader? via, out string? error) =>
        TryParse(value.AsSpan(), out via, out error);

    /// <summary>Parses one Via value from a slice (of the received bytes); only the parts kept become strings.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, [NotNullWhen(true)] out ViaHeader? via, out string? error)
    {
        var strings = default(SipStringCache);
        return TryParse(value, ref strings, out via, out error);
    }

    /// <summary>Parses one Via value; its host comes from the message's <paramref name="strings"/>.</summary>
    internal static bool TryParse(ReadOnlySpan<char> value, ref SipStringCache strings, [NotNullWhen(true)] out ViaHeader? via, out string? error)
    {
        via = null;
        var s = value.Trim();

        // sent-protocol = protocol-name SLASH protocol-version SLASH transport, LWS allowed around the slashes.
        if (!TryReadToken(ref s, out var name) || !TrySkip(ref s, '/') || !TryReadToken(ref s, out var version) ||
            !TrySkip(ref s, '/') || !TryReadToken(ref s, out var transport))
        {
            error = "malformed Via sent-protocol";
            return false;
        }

        s = s.TrimStart();
        var end = 0;
        if (!s.IsEmpty && s[0] == '[')
        {
            end = s.IndexOf(']') + 1;
            if (end == 0)
            {
                error = "malformed Via sent-by";
                return false;
            }
        }

        while (end < s.Length && s[end] != ';' && !SipSyntax.IsWhitespace(s[end]))
        {
            end++;
        }

        ReadOnlySpan<char> hostPort = s[..end];
        s = s[end..].TrimStart();
        if (s.StartsWith(":"))
        {
            // LWS before the port colon is legal ("host : 5060").
            var portEnd = 1;
            while (portEnd < s.Length && (SipSyntax.IsWhitespace(s[portEnd]) || char.IsAsciiDigit(s[portEnd])))
            {
                portEnd++;
            }

            hostPort = string.Concat(hostPort, ":", s[1..portEnd].Trim());
            s = s[portEnd..];
        }

        if (!SipUri.TrySplitHostPortRange(hostPort, out var hostRange, out var port))
        {
            error = "malformed Via sent-by";
            return false;
        }

        var parameters = new SipParameters();
        if (!SipSyntax.TryParseParameters(s, parameters))
        {
            error = "malformed Via parameter";
            return false;
        }

        if (parameters.Contains("branch") && string.IsNullOrEmpty(parameters["branch"]))
        {
            error = "empty Via branch";
            return false;
        }

        via = new ViaHeader(TransportOf(transport), strings.Get(hostPort[hostRange]), port, parameters);
        if (!name.SequenceEqual("SIP") || !version.SequenceEqual("2.0"))
        {
            via._protocol = [name.ToString(), version.ToString()];
        }
        error = null;
        return true;
    }

    private ViaHeader(string transport, string host, int? port, SipParameters parameters)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = parameters;
    }

    // The upper-case transport: the same instance for the usual ones, so parsing them makes no string.
    private static string TransportOf(ReadOnlySpan<char> transport) =>
        transport.Equals("UDP", StringComparison.OrdinalIgnoreCase) ? "UDP"
        : transport.Equals("TCP", StringComparison.OrdinalIgnoreCase) ? "TCP"
        : transport.Equals("TLS", StringComparison.OrdinalIgnoreCase) ? "TLS"
        : transport.ToString().ToUpperInvariant();

    private static bool TryReadToken(ref ReadOnlySpan<char> s, out ReadOnlySpan<char> token)
    {
        s = s.TrimStart();
        var i = 0;
        while (i < s.Length && SipSyntax.IsTokenChar(s[i]))
        {
            i++;
        }

        token = s[..i];
        s = s[i..];
        return i > 0;
    }

    private static bool TrySkip(ref ReadOnlySpan<char> s, char c)
    {
        s = s.TrimStart();
        if (s.IsEmpty || s[0] != c)
        {
            return false;
        }

        s = s[1..];
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(80);
        sb.Append(ProtocolName).Append('/').Append(ProtocolVersion).Append('/').Append(Transport).Append(' ').Append(SentBy);
        Parameters.AppendTo(sb);
        return sb.ToString();
    }
}
