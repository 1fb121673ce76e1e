using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// One TCP listener and the connections it accepted or opened, kept in a table keyed by the peer's endpoint so that
/// responses and requests to that peer reuse them (RFC 3261 §18.2.2: a response goes back over the connection its
/// request came on while it is open). Sends to a peer with no connection open one, within the connect timeout.
/// Connections idle for longer than the idle timeout are closed on a timer of the injected clock.
/// </summary>
/// <remarks>
/// Accepting is guarded (docs/security.md): a source the admission refuses (the allow-list) is closed at accept with
/// nothing read; accepted connections are capped per source address and in total, and one that sends no complete
/// first message in time is closed. Connections we open have their own budget, so inbound idlers cannot block them.
/// </remarks>
internal sealed class TcpSipTransport : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, TcpSipConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, Lazy<Task<TcpSipConnection>>> _connecting = new();
    private readonly SipTransportOptions _options;
    private readonly IncomingMessageDispatcher _dispatcher;
    private readonly SipTransportStatistics _statistics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    // Never disposed: it has no timer, and a late connect may still read its token.
    private readonly CancellationTokenSource _stopping = new();
    private readonly Socket _listener;
    private readonly Lock _countGate = new();
    private readonly Dictionary<IPAddress, int> _inboundPerSource = [];
    private int _inboundOpen;
    private int _outboundOpen;
    private Task _acceptLoop = Task.CompletedTask;
    private ITimer? _idleTimer;
    private int _disposed;

    public TcpSipTransport(
        SipListenAddress address,
        SipTransportOptions options,
        IncomingMessageDispatcher dispatcher,
        SipTransportStatistics statistics,
        TimeProvider timeProvider,
        ILogger logger)
    {
        if (address.Transport != SipTransportKind.Tcp)
        {
            throw new ArgumentException("not a TCP address", nameof(address));
        }

        ListenAddress = address;
        _options = options;
        _dispatcher = dispatcher;
        _statistics = statistics;
        _timeProvider = timeProvider;
        _logger = logger;
        _listener = new Socket(address.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        LocalEndPoint = address.EndPoint;
    }

    public SipListenAddress ListenAddress { get; }

    /// <summary>The bound endpoint, with the real port once <see cref="Start"/> has bound an ephemeral one.</summary>
    public IPEndPoint LocalEndPoint { get; private set; }

    public AddressFamily AddressFamily => ListenAddress.EndPoint.AddressFamily;

    /// <summary>How often connections are checked for idleness: a quarter of the timeout, between 1 s and 1 min.</summary>
    public TimeSpan IdleCheckInterval =>
        TimeSpan.FromTicks(Math.Clamp(_options.TcpIdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    public int ConnectionCount => _connections.Count;

    /// <summary>Binds and listens, and starts the accept loop and the idle check.</summary>
    /// <exception cref="SipTransportException">the address cannot be bound.</exception>
    public void Start()
    {
        try
        {
            if (AddressFamily == AddressFamily.InterNetworkV6)
            {
                _listener.DualMode = false;
            }

            _listener.Bind(ListenAddress.EndPoint);
            _listener.Listen(_options.TcpListenBacklog);
        }
        catch (SocketException ex)
        {
            throw new SipTransportException($"cannot listen on {ListenAddress}: {ex.SocketErrorCode}", ex);
        }

        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stopping.Token));
        _idleTimer = _timeProvider.CreateTimer(_ => CloseIdleConnections(), null, IdleCheckInterval, IdleCheckInterval);
        TransportLog.Listening(_logger, new SipListenAddress(SipTransportKind.Tcp, LocalEndPoint));
    }

    public bool HasConnection(IPEndPoint remote) =>
        _connections.TryGetValue(SipEndPoints.Normalize(remote), out var connection) && !connection.IsClosed;

    /// <summary>Sends over the open connection with <paramref name="remote"/>, opening one when there is none.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, IPEndPoint remote, CancellationToken cancellationToken)
    {
        remote = SipEndPoints.Normalize(remote);
        if (!_connections.TryGetValue(remote, out var connection) || connection.IsClosed)
        {
            connection = await GetOrConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }

        await connection.SendAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every connection with no traffic for the idle timeout; the idle timer calls it.</summary>
    public void CloseIdleConnections()
    {
        foreach (var connection in _connections.Values)
        {
            var idle = connection.IdleTime;
            if (idle >= _options.TcpIdleTimeout)
            {
                TransportLog.TcpIdleClosed(_logger, connection.RemoteEndPoint, idle);
                connection.Close("idle");
            }
        }
    }

    // Concurrent sends to one peer share one connect attempt; the attempt runs on the stop token and the connect
    // timeout only, so one caller giving up does not fail the others.
    private async Task<TcpSipConnection> GetOrConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        Lazy<Task<TcpSipConnection>>? attempt = null;
        attempt = new Lazy<Task<TcpSipConnection>>(() => ConnectOnceAsync(remote, attempt!));
        var shared = _connecting.GetOrAdd(remote, attempt);
        return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<TcpSipConnection> ConnectOnceAsync(IPEndPoint remote, Lazy<Task<TcpSipConnection>> self)
    {
        try
        {
            return await ConnectAsync(remote).ConfigureAwait(false);
        }
        finally
        {
            _connecting.TryRemove(KeyValuePair.Create(remote, self));
        }
    }

    private async Task<TcpSipConnection> ConnectAsync(IPEndPoint remote)
    {
        lock (_countGate)
        {
            if (_outboundOpen >= _options.MaxTcpConnections)
            {
                throw new SipTransportException($"cannot connect to {remote}: {_options.MaxTcpConnections} outgoing TCP connections are open");
            }

            _outboundOpen++;
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(_options.TcpConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            ConfigureConnection(socket);
            if (!SipEndPoints.IsWildcard(LocalEndPoint.Address))
            {
                // Leave from the listener's address, so the peer sees the address our Via and Contact name.
                socket.Bind(new IPEndPoint(LocalEndPoint.Address, 0));
            }

            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            socket.Dispose();
            ReleaseOutbound();
            throw new SipTransportException(
                timeout.IsCancellationRequested
                    ? $"TCP connect to {remote} timed out after {_options.TcpConnectTimeout}"
                    : $"TCP connect to {remote} abandoned: the transport is stopping",
                ex);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            ReleaseOutbound();
            throw new SipTransportException($"TCP connect to {remote} failed: {ex.SocketErrorCode}", ex);
        }
        catch (ObjectDisposedException ex)
        {
            socket.Dispose();
            ReleaseOutbound();
            throw new SipTransportException($"TCP connect to {remote} abandoned: the transport is stopping", ex);
        }

        _statistics.OnTcpConnectionOpened();
        var connection = Register(socket, remote, isOutgoing: true);
        TransportLog.TcpConnected(_logger, remote, connection.LocalEndPoint);
        return connection;
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
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
            catch (SocketException ex)
            {
                // Out of descriptors and the like: back off a little rather than spin.
                TransportLog.TcpAcceptFailed(_logger, LocalEndPoint, ex.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            Accept(socket);
        }
    }

    private void Accept(Socket socket)
    {
        IPEndPoint remote;
        try
        {
            remote = SipEndPoints.Normalize((IPEndPoint)socket.RemoteEndPoint!);
        }
        catch (SocketException)
        {
            // Reset before we looked at it.
            socket.Dispose();
            return;
        }

        // The allow-list at accept: a refused source is closed before a byte of it is read.
        if (_dispatcher.Admission is { } admission && !admission.AcceptsConnectionFrom(remote.Address))
        {
            _statistics.OnSourceRefused();
            socket.Dispose();
            return;
        }

        if (!TryReserveInbound(remote.Address, out var limit))
        {
            _statistics.OnTcpConnectionRejected();
            TransportLog.TcpConnectionLimitReached(_logger, remote, limit);
            socket.Dispose();
            return;
        }

        try
        {
            ConfigureConnection(socket);
        }
        catch (SocketException)
        {
            socket.Dispose();
            ReleaseInbound(remote.Address);
            return;
        }

        // Counted once registered, so that a waiter seeing the count knows the connection's timers run.
        var connection = Register(socket, remote, isOutgoing: false);
        _statistics.OnTcpConnectionAccepted();
        TransportLog.TcpAccepted(_logger, remote, connection.LocalEndPoint);
    }

    /// <summary>Takes a slot for an accepted connection from <paramref name="source"/>: false at the per-source or total cap.</summary>
    private bool TryReserveInbound(IPAddress source, out int limit)
    {
        lock (_countGate)
        {
            if (_inboundOpen >= _options.MaxTcpConnections)
            {
                limit = _options.MaxTcpConnections;
                return false;
            }

            _inboundPerSource.TryGetValue(source, out var fromSource);
            if (fromSource >= _options.MaxTcpConnectionsPerSource)
            {
                limit = _options.MaxTcpConnectionsPerSource;
                return false;
            }

            _inboundPerSource[source] = fromSource + 1;
            _inboundOpen++;
            limit = 0;
            return true;
        }
    }

    private void ReleaseInbound(IPAddress source)
    {
        lock (_countGate)
        {
            _inboundOpen--;
            if (_inboundPerSource.TryGetValue(source, out var fromSource) && fromSource > 1)
            {
                _inboundPerSource[source] = fromSource - 1;
            }
            else
            {
                _inboundPerSource.Remove(source);
            }
        }
    }

    private void ReleaseOutbound()
    {
        lock (_countGate)
        {
            _outboundOpen--;
        }
    }

    private TcpSipConnection Register(Socket socket, IPEndPoint remote, bool isOutgoing)
    {
        var connection = new TcpSipConnection(
            socket, remote, isOutgoing, _options, _dispatcher, _statistics, _timeProvider, _logger, OnConnectionClosed);

        // A newer connection with the same peer endpoint takes the entry; the older one still closes on its own.
        _connections[remote] = connection;
        connection.Start();
        if (Volatile.Read(ref _disposed) != 0)
        {
            connection.Close("transport stopping");
        }

        return connection;
    }

    private void ConfigureConnection(Socket socket)
    {
        socket.NoDelay = true;
        if (_options.TcpSocketReceiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }
    }

    private void OnConnectionClosed(TcpSipConnection connection)
    {
        _connections.TryRemove(KeyValuePair.Create(connection.RemoteEndPoint, connection));
        _statistics.OnTcpConnectionClosed();
        if (connection.IsOutgoing)
        {
            ReleaseOutbound();
        }
        else
        {
            ReleaseInbound(connection.RemoteEndPoint.Address);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_idleTimer is not null)
        {
            await _idleTimer.DisposeAsync().ConfigureAwait(false);
        }

        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        var connections = _connections.Values.ToList();
        foreach (var connection in connections)
        {
            connection.Close("transport stopping");
        }

        await Task.WhenAll(connections.Select(c => c.Completion)).ConfigureAwait(false);
        TransportLog.ListenerStopped(_logger, ListenAddress);
    }
}
