using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// One TCP connection, accepted or opened: a read loop that frames the stream (<see cref="SipStreamFramer"/>) and
/// dispatches each message, answers keep-alive pings, and serialised sends. Closed on EOF, a socket error, a framing
/// error, idleness or stop; the owner hears of it through the callback given at construction. An accepted connection
/// that sends no complete message within <see cref="SipTransportOptions.TcpFirstMessageTimeout"/> is closed too
/// (keep-alive pings do not count), so idle strangers cannot hold connection slots (docs/security.md).
/// </summary>
internal sealed class TcpSipConnection
{
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly SipTransportOptions _options;
    private readonly IncomingMessageDispatcher _dispatcher;
    private readonly SipTransportStatistics _statistics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Action<TcpSipConnection> _onClosed;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _lastActivity;
    private int _closed;
    private int _firstMessageSeen;
    private ITimer? _firstMessageTimer;

    public TcpSipConnection(
        Socket socket,
        IPEndPoint remoteEndPoint,
        bool isOutgoing,
        SipTransportOptions options,
        IncomingMessageDispatcher dispatcher,
        SipTransportStatistics statistics,
        TimeProvider timeProvider,
        ILogger logger,
        Action<TcpSipConnection> onClosed)
    {
        _socket = socket;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = SipEndPoints.Normalize((IPEndPoint)socket.LocalEndPoint!);
        IsOutgoing = isOutgoing;
        _options = options;
        _dispatcher = dispatcher;
        _statistics = statistics;
        _timeProvider = timeProvider;
        _logger = logger;
        _onClosed = onClosed;
        _lastActivity = timeProvider.GetTimestamp();
    }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    public bool IsOutgoing { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Time since the last byte read or written, on the injected clock.</summary>
    public TimeSpan IdleTime => _timeProvider.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>Completes when the read loop has ended (the connection is then closed).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start()
    {
        if (!IsOutgoing)
        {
            _firstMessageTimer = _timeProvider.CreateTimer(
                _ =>
                {
                    if (Volatile.Read(ref _firstMessageSeen) == 0)
                    {
                        Close($"no complete message within {_options.TcpFirstMessageTimeout}");
                    }
                },
                null,
                _options.TcpFirstMessageTimeout,
                Timeout.InfiniteTimeSpan);
        }

        Completion = Task.Run(ReadLoopAsync);
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            throw new SipTransportException($"the TCP connection with {RemoteEndPoint} is closed");
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!data.IsEmpty)
            {
                var sent = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
                Touch();
            }
        }
        catch (OperationCanceledException)
        {
            if (!data.IsEmpty)
            {
                // Part of a message may be on the wire: the stream cannot carry another message cleanly.
                Close("send cancelled part-way");
            }

            throw;
        }
        catch (SocketException ex)
        {
            Close($"send failed: {ex.SocketErrorCode}");
            throw new SipTransportException($"TCP send to {RemoteEndPoint} failed: {ex.SocketErrorCode}", ex);
        }
        catch (ObjectDisposedException ex)
        {
            throw new SipTransportException($"the TCP connection with {RemoteEndPoint} is closed", ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes the socket (ending the read loop) once; later calls do nothing.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        _firstMessageTimer?.Dispose();
        TransportLog.TcpClosed(_logger, RemoteEndPoint, reason);
        _onClosed(this);
    }

    private async Task ReadLoopAsync()
    {
        var framer = new SipStreamFramer(_options.MaxMessageSize);
        var buffer = new byte[_options.TcpReadBufferSize];
        var messages = new List<byte[]>();
        var source = new SipTarget(SipTransportKind.Tcp, RemoteEndPoint);
        var reason = "closed by the peer";
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                Touch();
                var result = framer.Append(buffer.AsSpan(0, read), messages);
                if (messages.Count > 0 && Interlocked.Exchange(ref _firstMessageSeen, 1) == 0)
                {
                    _firstMessageTimer?.Dispose();
                }
                foreach (var message in messages)
                {
                    _dispatcher.Dispatch(message, source, LocalEndPoint);
                }

                messages.Clear();
                if (result.PingCount > 0)
                {
                    // RFC 5626 §4.4.1: each CRLF CRLF ping is answered with one CRLF pong.
                    _statistics.OnKeepAlivesReceived(result.PingCount);
                    TransportLog.KeepAlivePong(_logger, RemoteEndPoint, result.PingCount);
                    for (var i = 0; i < result.PingCount; i++)
                    {
                        await SendAsync(Pong, CancellationToken.None).ConfigureAwait(false);
                    }
                }

                if (result.Error is { } error)
                {
                    _statistics.OnFramingError();
                    TransportLog.TcpFramingError(_logger, RemoteEndPoint, error);
                    reason = "framing error: " + error;
                    break;
                }
            }
        }
        catch (SocketException ex)
        {
            reason = ex.SocketErrorCode.ToString();
        }
        catch (ObjectDisposedException)
        {
            reason = "closed";
        }
        catch (SipTransportException ex)
        {
            reason = ex.Message;
        }
        finally
        {
            Close(reason);
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _timeProvider.GetTimestamp());
}
