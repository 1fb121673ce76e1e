using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Lab;

/// <summary>
/// The loopback ports the lab's children will listen on, checked before any child starts: a port already in use
/// (often a lab still running) stops the lab with one line naming the address and its option, instead of a child's
/// failure and output.
/// </summary>
public static class LabPorts
{
    /// <summary>"127.0.0.1:8080 (--http-port) is in use", or null when every port can be bound now.</summary>
    public static string? FirstInUse(LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tcp = new List<(int Port, string Option)>
        {
            (options.HttpPort, "--http-port"),
            (options.PortalPort, "--portal-port"),
            (options.MqttPort, "--mqtt-port"),
            (options.SmtpPort, "--smtp-port"),
            (options.EdgeRpcPort, "--edge-rpc-port"),
        };
        for (var node = 2; node <= options.NodeCount; node++)
        {
            tcp.Add((options.NodeHttpPort(node), $"node {node}'s API, --http-port + {10 * (node - 1)}"));
            tcp.Add((options.NodeSmtpPort(node), $"node {node}'s SMTP sink, --smtp-port + {node - 1}"));
        }

        // With --nodes the nodes' ports follow from --http-port and --smtp-port: they must not land on another option's.
        var named = tcp.Concat([(options.EdgePort, "--edge-port"), (options.DestinationPort, "--destination-port"), (options.IvrPort, "--ivr-port")])
            .Concat(Enumerable.Range(options.SipBasePort, options.Sites + 1).Select(p => (p, "--sip-base-port")));
        if (named.GroupBy(p => p.Item1).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"127.0.0.1:{twice.Key} is given to both {string.Join(" and ", twice.Select(p => p.Item2).Distinct())}";
        }

        foreach (var (port, option) in tcp)
        {
            if (!CanBind(SocketType.Stream, ProtocolType.Tcp, port))
            {
                return $"127.0.0.1:{port} ({option}) is in use";
            }
        }

        // The edge and the destination phone listen on UDP and TCP.
        foreach (var (port, option) in new[] { (options.EdgePort, "--edge-port"), (options.DestinationPort, "--destination-port") })
        {
            if (!CanBind(SocketType.Dgram, ProtocolType.Udp, port) || !CanBind(SocketType.Stream, ProtocolType.Tcp, port))
            {
                return $"127.0.0.1:{port} ({option}) is in use";
            }
        }

        if (!CanBind(SocketType.Dgram, ProtocolType.Udp, options.IvrPort))
        {
            return $"127.0.0.1:{options.IvrPort} (--ivr-port) is in use";
        }

        // The canary on the base port, site n on base + n; each agent listens on UDP and TCP.
        for (var port = options.SipBasePort; port <= options.SipBasePort + options.Sites; port++)
        {
            if (!CanBind(SocketType.Dgram, ProtocolType.Udp, port) || !CanBind(SocketType.Stream, ProtocolType.Tcp, port))
            {
                return $"127.0.0.1:{port} (--sip-base-port {options.SipBasePort}: sites use {options.SipBasePort}-{options.SipBasePort + options.Sites}) is in use";
            }
        }

        return null;
    }

    private static bool CanBind(SocketType type, ProtocolType protocol, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }
}
