using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Sip.Transport;

/// <summary>IP address and endpoint chores shared by the transports: normalising, comparing and reading literals.</summary>
public static class SipEndPoints
{
    /// <summary>Maps ::ffff:a.b.c.d to a.b.c.d so one peer always has one key.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>Same address, ignoring IPv4-mapping and an IPv6 scope id (a Via never carries one).</summary>
    public static bool SameAddress(IPAddress a, IPAddress b)
    {
        a = Normalize(a);
        b = Normalize(b);
        if (a.AddressFamily != b.AddressFamily)
        {
            return false;
        }

        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, out var xLength);
        b.TryWriteBytes(y, out var yLength);
        return x[..xLength].SequenceEqual(y[..yLength]);
    }

    /// <summary>The host of a SIP URI or Via sent-by: IPv6 in brackets.</summary>
    public static string FormatHost(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>"host:port" for a Via sent-by or a Contact: IPv6 in brackets.</summary>
    public static string FormatHostPort(IPEndPoint endPoint) => $"{FormatHost(endPoint.Address)}:{endPoint.Port}";

    /// <summary>The address as a Via received parameter carries it: IPv6 without brackets and without a scope id.</summary>
    public static string FormatForVia(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        return address.ToString();
    }

    /// <summary>
    /// Reads an IP literal as it appears in a Via host, received or maddr: dotted-quad IPv4, or IPv6 with or without
    /// brackets. Host names (and inet_aton shorthands such as "1234") are not literals: we do no DNS.
    /// </summary>
    public static bool TryParseLiteral([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var bracketed = s.Length > 2 && s[0] == '[' && s[^1] == ']';
        if (bracketed)
        {
            s = s[1..^1];
        }

        if (!IPAddress.TryParse(s, out var parsed))
        {
            return false;
        }

        if (parsed.AddressFamily == AddressFamily.InterNetwork && (bracketed || s.Count('.') != 3))
        {
            return false;
        }

        address = Normalize(parsed);
        return true;
    }
}
