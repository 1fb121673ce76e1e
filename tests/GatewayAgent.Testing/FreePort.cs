using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Testing;

/// <summary>
/// Finds a loopback port that is free for both UDP and TCP, and never the same one twice in a test process: the OS
/// may hand out a just-released ephemeral port again, and two ports taken in a row for one host (a lab's edge and
/// destination phone) then collide.
/// </summary>
public static class FreePort
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    public static int Next(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

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
