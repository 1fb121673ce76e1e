using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// The test's end of a UDP conversation: a socket bound to 127.0.0.1 on a free (ephemeral) port, with a receive loop
/// that queues every datagram, so that nothing the agent sends is lost while the test is busy sending.
/// </summary>
internal sealed class LoopbackUdpPeer : IAsyncDisposable
{
    /// <summary>The largest payload of an IPv4 UDP datagram.</summary>
    public const int MaxDatagram = 65507;

    private readonly Socket _socket;
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private LoopbackUdpPeer(Socket socket)
    {
        _socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public ChannelReader<byte[]> Received => _received.Reader;

    public static LoopbackUdpPeer Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Room for bursts of responses and retransmissions while the test is sending.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return new LoopbackUdpPeer(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint target) =>
        await _socket.SendToAsync(datagram, SocketFlags.None, target);

    /// <summary>The next datagram, or null when none arrives before <paramref name="deadline"/>.</summary>
    public async Task<byte[]?> ReceiveAsync(DateTime deadline)
    {
        var wait = deadline - DateTime.UtcNow;
        if (Received.TryRead(out var ready))
        {
            return ready;
        }

        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await Received.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token);
                _received.Writer.TryWrite(buffer.AsSpan(0, result.ReceivedBytes).ToArray());
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException) when (_stopping.IsCancellationRequested)
            {
                // Disposing the socket under a pending receive aborts it (OperationAborted) instead of cancelling it.
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // An ICMP error for an earlier send; the socket keeps working.
            }
        }

        _received.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stopping.Dispose();
    }
}
