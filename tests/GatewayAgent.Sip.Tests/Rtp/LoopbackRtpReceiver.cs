using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Tests.Rtp;

/// <summary>A UDP socket on 127.0.0.1 that plays the remote RTP peer in tests.</summary>
internal sealed class LoopbackRtpReceiver : IDisposable
{
    // A safety net against a hung test, not a timing assertion.
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public LoopbackRtpReceiver()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public int Pending => _socket.Available;

    public async Task<(RtpHeader Header, byte[] Payload)> ReceiveAsync()
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.True(RtpHeader.TryParse(buffer.AsSpan(0, length), out var header, out var offset, out var payloadLength));
        return (header.Value, buffer.AsSpan(offset, payloadLength).ToArray());
    }

    public async Task<List<(RtpHeader Header, byte[] Payload)>> ReceiveAsync(int count)
    {
        var packets = new List<(RtpHeader, byte[])>();
        for (var i = 0; i < count; i++)
        {
            packets.Add(await ReceiveAsync());
        }

        return packets;
    }

    public void Dispose() => _socket.Dispose();
}
