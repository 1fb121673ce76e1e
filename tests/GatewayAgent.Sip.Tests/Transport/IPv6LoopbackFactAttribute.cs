using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>A fact that is skipped, saying why, on a machine where ::1 cannot be bound.</summary>
public sealed class IPv6LoopbackFactAttribute : FactAttribute
{
    public IPv6LoopbackFactAttribute()
    {
        if (!HasIPv6Loopback())
        {
            Skip = "this machine has no IPv6 loopback (::1): IPv6 transport tests skipped";
        }
    }

    private static bool HasIPv6Loopback()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
