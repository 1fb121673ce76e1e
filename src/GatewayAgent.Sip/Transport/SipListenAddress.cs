using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// Where a listener binds: a transport and a local IP endpoint, written <c>udp:0.0.0.0:5060</c>, <c>tcp:[::]:5060</c>
/// or <c>udp:127.0.0.1:0</c> (port 0: the OS picks an ephemeral port). The address is an IP literal (IPv6 in
/// brackets); the port may be left out for the RFC 3261 default, 5060.
/// </summary>
public sealed record SipListenAddress
{
    /// <summary>The port RFC 3261 §19.1.2 assigns to sip: over UDP and TCP.</summary>
    public const int DefaultPort = 5060;

    private const string Expected = "expected transport:address:port, e.g. udp:0.0.0.0:5060 or tcp:[::]:5060";

    public SipListenAddress(SipTransportKind transport, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("a listen address is an IPv4 or IPv6 endpoint", nameof(endPoint));
        }

        Transport = transport;
        EndPoint = endPoint;
    }

    public SipTransportKind Transport { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>True for 0.0.0.0 and [::]: the listener accepts on every local address of its family.</summary>
    public bool IsWildcard => EndPoint.Address.Equals(IPAddress.Any) || EndPoint.Address.Equals(IPAddress.IPv6Any);

    public static SipListenAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new FormatException($"'{text}': {error}");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SipListenAddress? address) =>
        TryParse(text, out address, out _);

    /// <summary>Parses <c>transport:address[:port]</c>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out SipListenAddress? address,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        var s = text.AsSpan().Trim();
        if (s.IsEmpty)
        {
            error = "empty listen address; " + Expected;
            return false;
        }

        var colon = s.IndexOf(':');
        if (colon <= 0)
        {
            error = "missing transport; " + Expected;
            return false;
        }

        SipTransportKind kind;
        var transport = s[..colon];
        if (transport.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            kind = SipTransportKind.Udp;
        }
        else if (transport.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            kind = SipTransportKind.Tcp;
        }
        else
        {
            error = $"unknown transport '{transport}'; expected udp or tcp";
            return false;
        }

        var hostPort = s[(colon + 1)..];
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port;
        if (hostPort.StartsWith("["))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
            {
                error = "missing ']' after the IPv6 address; " + Expected;
                return false;
            }

            host = hostPort[1..close];
            var rest = hostPort[(close + 1)..];
            if (!rest.IsEmpty && rest[0] != ':')
            {
                error = $"unexpected '{rest}' after the IPv6 address; " + Expected;
                return false;
            }

            port = rest.IsEmpty ? [] : rest[1..];
            if (!rest.IsEmpty && port.IsEmpty)
            {
                error = "missing port after ':'; " + Expected;
                return false;
            }
        }
        else
        {
            var portColon = hostPort.IndexOf(':');
            if (portColon >= 0 && hostPort[(portColon + 1)..].Contains(':'))
            {
                error = "IPv6 addresses go in brackets, e.g. udp:[::1]:5060";
                return false;
            }

            host = portColon < 0 ? hostPort : hostPort[..portColon];
            port = portColon < 0 ? [] : hostPort[(portColon + 1)..];
            if (portColon >= 0 && port.IsEmpty)
            {
                error = "missing port after ':'; " + Expected;
                return false;
            }
        }

        if (host.IsEmpty)
        {
            error = "missing address; " + Expected;
            return false;
        }

        // We do no DNS: the address must be an IP literal. IPAddress.TryParse also takes "1" or "10.1" (inet_aton
        // shorthands), which nobody means in a listen address, so an IPv4 literal must be dotted-quad.
        var bracketed = hostPort.StartsWith("[");
        if (!IPAddress.TryParse(host, out var ip) ||
            (ip.AddressFamily == AddressFamily.InterNetwork && (bracketed || host.Count('.') != 3)) ||
            (ip.AddressFamily == AddressFamily.InterNetworkV6 && !bracketed))
        {
            error = $"'{host}' is not an IP address literal (we do not resolve names; IPv6 goes in brackets)";
            return false;
        }

        var portNumber = DefaultPort;
        if (!port.IsEmpty &&
            (port.Length > 5 || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber > IPEndPoint.MaxPort))
        {
            error = $"port '{port}' is not a number from 0 to 65535";
            return false;
        }

        address = new SipListenAddress(kind, new IPEndPoint(ip, portNumber));
        error = null;
        return true;
    }

    /// <summary>The canonical form, e.g. <c>udp:0.0.0.0:5060</c>, <c>tcp:[::]:5060</c>; parses back to an equal value.</summary>
    public override string ToString() => $"{(Transport == SipTransportKind.Udp ? "udp" : "tcp")}:{EndPoint}";
}
