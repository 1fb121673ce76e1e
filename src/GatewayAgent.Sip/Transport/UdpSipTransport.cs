using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// One UDP socket bound to one listen address: a receive loop that asks the admission about each datagram (before any
/// parse) and queues it, known probers' apart (<see cref="UdpReceiveQueue"/>, bounded by bytes); a dispatch loop that
/// parses and hands up the probers' first; and sends. The receive loop never waits on a parse or a handler, so the
/// kernel's socket queue keeps draining under a flood and a probe is not stuck behind it (issue 12 item 2).
/// A datagram that fills the MaxMessageSize + 1 buffer is oversized (or truncated) and dropped; a socket error on one
/// datagram (ICMP port unreachable surfaces on Linux as ConnectionReset on the next receive) does not stop the loop.
/// </summary>
internal sealed class UdpSipTransport : IAsyncDisposable
{
    private readonly SipTransportOptions _options;
    private readonly IncomingMessageDispatcher _dispatcher;
    private readonly SipTransportStatistics _statistics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Socket _socket;
    private readonly UdpReceiveQueue _queue;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _dispatchLoop = Task.CompletedTask;
    private int _disposed;

    public UdpSipTransport(
        SipListenAddress address,
        SipTransportOptions options,
        IncomingMessageDispatcher dispatcher,
        SipTransportStatistics statistics,
        ILogger logger)
    {
        if (address.Transport != SipTransportKind.Udp)
        {
            throw new ArgumentException("not a UDP address", nameof(address));
        }

        ListenAddress = address;
        _options = options;
        _dispatcher = dispatcher;
        _statistics = statistics;
        _logger = logger;
        _socket = new Socket(address.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _queue = new UdpReceiveQueue(options.UdpQueueMaxBytes, options.UdpPriorityQueueMaxBytes, options.UdpQueueMaxDelay, onStale: statistics.OnQueueStale);
        LocalEndPoint = address.EndPoint;
    }

    public SipListenAddress ListenAddress { get; }

    /// <summary>The bound endpoint, with the real port once <see cref="Start"/> has bound an ephemeral one.</summary>
    public IPEndPoint LocalEndPoint { get; private set; }

    public AddressFamily AddressFamily => ListenAddress.EndPoint.AddressFamily;

    /// <summary>Binds the socket and starts the receive loop.</summary>
    /// <exception cref="SipTransportException">the address cannot be bound (in use, not local...).</exception>
    public void Start()
    {
        try
        {
            if (AddressFamily == AddressFamily.InterNetworkV6)
            {
                // [::] must not also take IPv4, so that udp:0.0.0.0:5060 and udp:[::]:5060 can both be bound.
                _socket.DualMode = false;
            }

            if (_options.UdpSocketReceiveBufferSize is { } size)
            {
                _socket.ReceiveBufferSize = size;
            }

            _socket.Bind(ListenAddress.EndPoint);
        }
        catch (SocketException ex)
        {
            throw new SipTransportException($"cannot bind {ListenAddress}: {ex.SocketErrorCode}", ex);
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stopping.Token));
        _dispatchLoop = Task.Run(() => DispatchLoopAsync(_stopping.Token));
        TransportLog.Listening(_logger, new SipListenAddress(SipTransportKind.Udp, LocalEndPoint));
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new SipTransportException($"UDP send to {remote} failed: {ex.SocketErrorCode}", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new SipTransportException($"UDP listener {LocalEndPoint} is stopped", ex);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var limit = _options.MaxMessageSize;
        var buffer = GC.AllocateUninitializedArray<byte>(limit + 1, pinned: true);
        var addressSize = SocketAddress.GetMaximumAddressSize(AddressFamily);
        var address = new SocketAddress(AddressFamily, addressSize);
        EndPoint template = AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);

        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                address.Size = addressSize;
                length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
            {
                _statistics.OnOversizedDropped();
                TransportLog.OversizedDatagramDropped(_logger, limit + 1, null, limit);
                continue;
            }
            catch (SocketException ex)
            {
                // ConnectionReset (an ICMP port unreachable for an earlier send) and the like concern one datagram.
                TransportLog.UdpReceiveFailed(_logger, LocalEndPoint, ex.SocketErrorCode);
                continue;
            }

            var source = SipEndPoints.Normalize((IPEndPoint)template.Create(address));
            if (length > limit)
            {
                _statistics.OnOversizedDropped();
                TransportLog.OversizedDatagramDropped(_logger, length, source, limit);
                continue;
            }

            var data = buffer.AsSpan(0, length);
            if (data.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0)
            {
                // Empty datagrams and CRLF keep-alives keep NAT bindings open; nothing to answer on UDP.
                _statistics.OnKeepAlivesReceived(1);
                continue;
            }

            var target = new SipTarget(SipTransportKind.Udp, source);
            if (!_dispatcher.Admit(data, target))
            {
                continue;
            }

            var priority = _dispatcher.IsPriority(source.Address);
            if (_queue.TryEnqueue(data, target, priority, out var queuedBytes))
            {
                _statistics.OnQueued(priority, queuedBytes);
            }
            else
            {
                _statistics.OnQueueDropped(priority);
                if ((priority ? _statistics.PriorityQueueDropped : _statistics.QueueDropped) % 1000 == 1)
                {
                    TransportLog.QueueFull(_logger, LocalEndPoint, priority ? "known probers'" : "strangers'", queuedBytes,
                        _statistics.QueueDropped + _statistics.PriorityQueueDropped);
                }
            }
        }
    }

    private async Task DispatchLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveQueue.Item item;
            try
            {
                item = await _queue.DequeueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                _dispatcher.DispatchAdmitted(item.Data, item.Source, LocalEndPoint);
            }
            finally
            {
                UdpReceiveQueue.Return(item);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        await _dispatchLoop.ConfigureAwait(false);
        _queue.Dispose();
        TransportLog.ListenerStopped(_logger, ListenAddress);
    }
}
