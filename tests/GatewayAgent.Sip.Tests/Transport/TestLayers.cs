using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>Builds transport layers and loopback peers for the socket tests.</summary>
internal static class TestLayers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The transport's defaults, but no maximum queue delay for strangers' datagrams: on a busy machine a datagram can
    /// wait out the 250 ms default before it is parsed and be dropped unhandled, which these socket tests (about other
    /// things) would read as a lost message. The delay has its own tests (UdpReceiveQueueDelayTests).
    /// </summary>
    public static SipTransportOptions QuietOptions() => new() { UdpQueueMaxDelay = TimeSpan.Zero };

    public static async Task<SipTransportLayer> StartAsync(
        ISipMessageHandler handler,
        string[] addresses,
        SipTransportOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SipTransportLayer>? logger = null,
        ISipSourceAdmission? admission = null)
    {
        var layer = new SipTransportLayer(
            Options.Create(options ?? QuietOptions()),
            timeProvider ?? TimeProvider.System,
            logger ?? NullLogger<SipTransportLayer>.Instance)
        {
            Admission = admission,
        };
        await layer.StartAsync(addresses.Select(SipListenAddress.Parse), handler, CancellationToken.None);
        return layer;
    }

    public static IPEndPoint Bound(this SipTransportLayer layer, SipTransportKind kind, AddressFamily family = AddressFamily.InterNetwork) =>
        layer.LocalEndPoints.First(a => a.Transport == kind && a.EndPoint.AddressFamily == family).EndPoint;

    /// <summary>A UDP peer bound to an ephemeral loopback port.</summary>
    public static Socket UdpPeer(IPAddress loopback)
    {
        var socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(loopback, 0));
        return socket;
    }

    public static async Task<(SipMessage Message, IPEndPoint From)> ReceiveAsync(this Socket udpPeer)
    {
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(Timeout);
        EndPoint any = udpPeer.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        var result = await udpPeer.ReceiveFromAsync(buffer, SocketFlags.None, any, timeout.Token);
        var parse = SipParser.Parse(buffer.AsSpan(0, result.ReceivedBytes));
        Assert.True(parse.IsValid, parse.ToString());
        return (parse.Message!, (IPEndPoint)result.RemoteEndPoint);
    }

    /// <summary>Reads from a TCP peer's stream until the framer yields a message; fails after the timeout.</summary>
    public static async Task<SipMessage> ReadMessageAsync(this NetworkStream stream, SipStreamFramer framer, Queue<byte[]> pending)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        var framed = new List<byte[]>();
        while (pending.Count == 0)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            Assert.False(framer.Append(buffer.AsSpan(0, read), framed).IsError);
            framed.ForEach(pending.Enqueue);
            framed.Clear();
        }

        var parse = SipParser.Parse(pending.Dequeue());
        Assert.True(parse.IsValid, parse.ToString());
        return parse.Message!;
    }

    /// <summary>Waits for the peer to close: the read returns 0 (or the connection is reset).</summary>
    public static async Task AssertClosedByPeerAsync(this NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
        }
    }

    /// <summary>A 200 OK to a received request, with the headers RFC 3261 §8.2.6.2 copies.</summary>
    public static SipResponse OkTo(SipMessage request)
    {
        var response = new SipResponse(200);
        foreach (var name in new[] { HeaderNames.Via, HeaderNames.From, HeaderNames.To, HeaderNames.CallId, HeaderNames.CSeq })
        {
            response.Headers.CopyFrom(request.Headers, name);
        }

        return response;
    }
}
