using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Sip.Rtp;

/// <summary>
/// One leased RTP port from <see cref="RtpPortAllocator"/>: its bound UDP socket, and a background receive that reads
/// whatever arrives so the socket buffer never fills: datagrams from the latched peer go to the
/// <see cref="OnPeerPacket"/> handler when one is set (the IVR reads telephone-events there), the rest are discarded.
/// Dispose to close the socket and free the port.
/// </summary>
public sealed class RtpPortLease : IAsyncDisposable
{
    private const int MaxDatagram = 2048;

    /// <summary>How long <see cref="DisposeAsync"/> waits for its wake-up datagram before cancelling the receive.</summary>
    private static readonly TimeSpan WakeTimeout = TimeSpan.FromMilliseconds(250);

    private readonly RtpPortAllocator _allocator;
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _drain;
    private readonly Lock _latchGate = new();
    private Func<IPEndPoint, bool>? _latchFilter;
    private RtpPacketHandler? _peerPacketHandler;
    private TaskCompletionSource<IPEndPoint>? _latching;
    private IPEndPoint? _peer;
    private long _bytesFromPeer;
    private long _packetsReceived;
    private IPEndPoint? _lastRemoteEndpoint;
    private TaskCompletionSource? _nextPacket;
    private int _disposed;

    internal RtpPortLease(RtpPortAllocator allocator, Socket socket, int port)
    {
        _allocator = allocator;
        Socket = socket;
        Port = port;
        _drain = DrainAsync(_closing.Token);
    }

    /// <summary>The even port leased.</summary>
    public int Port { get; }

    /// <summary>The bound socket: give it to <see cref="RtpSender"/>. Do not receive on it yourself; the lease drains it.</summary>
    public Socket Socket { get; }

    /// <summary>The address and port the socket is bound to.</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)Socket.LocalEndPoint!;

    /// <summary>How many datagrams arrived (and were discarded).</summary>
    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    /// <summary>
    /// Completes when the next datagram has been counted in <see cref="PacketsReceived"/> (take it before reading the
    /// counter); lets a caller wait for traffic without polling.
    /// </summary>
    internal Task NextPacketAsync()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref _nextPacket, next, null) ?? next).Task;
    }

    /// <summary>The source of the last datagram received, for symmetric RTP behind NAT; <see langword="null"/> before any.</summary>
    public IPEndPoint? LastRemoteEndpoint => Volatile.Read(ref _lastRemoteEndpoint);

    /// <summary>The endpoint latched by <see cref="Latch"/>: the source of the first accepted datagram; null before.</summary>
    public IPEndPoint? Peer
    {
        get
        {
            lock (_latchGate)
            {
                return _peer;
            }
        }
    }

    /// <summary>Bytes (UDP payload) received from <see cref="Peer"/> since it was latched, the first datagram included.</summary>
    public long BytesFromPeer => Interlocked.Read(ref _bytesFromPeer);

    /// <summary>
    /// Symmetric RTP (docs/security.md): the returned task completes with the source of the first datagram whose
    /// source <paramref name="accept"/> takes (datagrams from elsewhere are drained and ignored); from then on
    /// <see cref="Peer"/> is that endpoint and <see cref="BytesFromPeer"/> counts what it sends. Set once per lease.
    /// </summary>
    public Task<IPEndPoint> Latch(Func<IPEndPoint, bool> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        lock (_latchGate)
        {
            if (_latching is not null)
            {
                throw new InvalidOperationException("This lease already latches.");
            }

            _latchFilter = accept;
            _latching = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _latching.Task;
        }
    }

    /// <summary>
    /// Hands every datagram from the latched <see cref="Peer"/> (the latching one included) to <paramref name="handler"/>,
    /// on the receive loop, before the next receive; datagrams from other sources never reach it (symmetric RTP: a
    /// stranger cannot inject media or key presses). Set it before <see cref="Latch"/>'s first datagram can arrive.
    /// </summary>
    public void OnPeerPacket(RtpPacketHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Volatile.Write(ref _peerPacketHandler, handler);
    }

    /// <summary>Stops draining, closes the socket and returns the port to the allocator.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_latchGate)
        {
            _latching?.TrySetCanceled();
        }

        // The pending receive ends on a datagram to ourselves: the loop sees the lease disposed and returns. Cancelling
        // it instead throws an OperationCanceledException inside the loop, one per call (issue 13); that is only the
        // fallback, when the datagram does not come.
        if (!WakeDrain() || !await DrainEndsWithinAsync(WakeTimeout).ConfigureAwait(false))
        {
            await _closing.CancelAsync().ConfigureAwait(false);
        }

        Socket.Dispose();
        await _drain.ConfigureAwait(false);
        _closing.Dispose();
        _allocator.Release(Port);
    }

    private bool WakeDrain()
    {
        try
        {
            var local = LocalEndpoint;
            var address = local.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
                : local.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
                : local.Address;
            Socket.SendTo(ReadOnlySpan<byte>.Empty, SocketFlags.None, new IPEndPoint(address, local.Port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<bool> DrainEndsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _drain.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void OnDatagramFrom(IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        var bytes = datagram.Length;
        if (from.Address.IsIPv4MappedToIPv6)
        {
            from = new IPEndPoint(from.Address.MapToIPv4(), from.Port);
        }

        TaskCompletionSource<IPEndPoint>? latched = null;
        bool fromPeer;
        lock (_latchGate)
        {
            if (_peer is null && _latchFilter is { } accept && accept(from))
            {
                _peer = from;
                latched = _latching;
            }

            fromPeer = from.Equals(_peer);
            if (fromPeer)
            {
                Interlocked.Add(ref _bytesFromPeer, bytes);
            }
        }

        latched?.TrySetResult(from);
        if (fromPeer && Volatile.Read(ref _peerPacketHandler) is { } handler)
        {
            handler(datagram);
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        // Yield so the constructor returns before the first receive is posted.
        await Task.Yield();
        var buffer = new byte[MaxDatagram];
        EndPoint any = Socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                if (Volatile.Read(ref _disposed) != 0)
                {
                    return; // woken by DisposeAsync
                }

                Interlocked.Increment(ref _packetsReceived);
                var from = result.RemoteEndPoint as IPEndPoint;
                Volatile.Write(ref _lastRemoteEndpoint, from);
                if (from is not null)
                {
                    OnDatagramFrom(from, buffer.AsSpan(0, result.ReceivedBytes));
                }

                Interlocked.Exchange(ref _nextPacket, null)?.TrySetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error reported on the socket (e.g. ConnectionReset on Windows) or an oversized datagram:
                // the next receive goes on.
            }
        }
    }
}
