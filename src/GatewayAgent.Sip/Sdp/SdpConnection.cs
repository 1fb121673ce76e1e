using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Sip.Sdp;

/// <summary>An SDP <c>c=</c> line (RFC 4566 §5.7), at session or media level.</summary>
/// <param name="NetworkType">Normally <c>IN</c>.</param>
/// <param name="AddressType"><c>IP4</c> or <c>IP6</c>.</param>
/// <param name="Address">The connection address as written, possibly with a <c>/ttl</c> or <c>/count</c> suffix.</param>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    /// <summary>A <c>c=IN IP4 …</c> or <c>c=IN IP6 …</c> line for an address.</summary>
    public static SdpConnection FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new SdpConnection("IN", AddressTypeOf(address), address.ToString());
    }

    /// <summary>
    /// The address as an <see cref="IPAddress"/>, when this is an <c>IN IP4</c> or <c>IN IP6</c> line whose
    /// address is an IP literal of that family (not a host name).
    /// </summary>
    public bool TryGetIPAddress([NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (!string.Equals(NetworkType, "IN", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var literal = Address;
        var slash = literal.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            literal = literal[..slash];
        }

        if (string.Equals(AddressType, "IP4", StringComparison.OrdinalIgnoreCase))
        {
            // IPAddress.TryParse accepts "1" or "1.2" as IPv4; SDP wants the dotted quad.
            if (literal.Count(c => c == '.') != 3
                || !IPAddress.TryParse(literal, out var v4)
                || v4.AddressFamily != AddressFamily.InterNetwork)
            {
                return false;
            }

            address = v4;
            return true;
        }

        if (string.Equals(AddressType, "IP6", StringComparison.OrdinalIgnoreCase))
        {
            if (!literal.Contains(':', StringComparison.Ordinal)
                || !IPAddress.TryParse(literal, out var v6)
                || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        return false;
    }

    /// <summary>The line value as it appears after <c>c=</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{NetworkType} {AddressType} {Address}");

    internal static string AddressTypeOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? "IP6" : "IP4";
}
