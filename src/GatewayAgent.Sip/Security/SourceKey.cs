using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Sip.Security;

/// <summary>
/// The address a per-source limit counts under: an IPv4 address as itself (an IPv4-mapped IPv6 one unmapped), an
/// IPv6 address by its /64, since one host commonly holds a whole /64 and could otherwise rotate through it.
/// </summary>
public static class SourceKey
{
    public static IPAddress Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
