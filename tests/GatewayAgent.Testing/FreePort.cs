using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Testing;

/// <summary>Finds a loopback port that is free for both UDP and TCP.</summary>
public static class FreePort
{
    public static int Next(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port");
    }
}
