namespace GatewayAgent.Sip.Transport;

/// <summary>Counters of the transport layer; every property may be read from any thread while the layer runs.</summary>
public sealed class SipTransportStatistics
{
    private long _messagesReceived;
    private long _messagesSent;
    private long _unparseableDropped;
    private long _sourceRefused;
    private long _oversizedDropped;
    private long _keepAlivesReceived;
    private long _framingErrors;
    private long _handlerErrors;
    private long _sendErrors;
    private long _tcpConnectionsOpen;
    private long _tcpConnectionsAccepted;
    private long _tcpConnectionsOpened;
    private long _tcpConnectionsRejected;
    private long _queueDropped;
    private long _priorityQueueDropped;
    private long _queueStale;
    private long _queued;
    private long _priorityQueued;
    private long _queuedBytesPeak;

    /// <summary>Messages read within the size limit: datagrams and stream-framed messages, parseable or not.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Messages handed to the network successfully.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Received messages the parser could not read at all; dropped without reaching the handler.</summary>
    public long UnparseableDropped => Interlocked.Read(ref _unparseableDropped);

    /// <summary>Messages dropped before parsing because their source was over its rate (<see cref="ISipSourceAdmission"/>).</summary>
    public long SourceRefused => Interlocked.Read(ref _sourceRefused);

    /// <summary>Datagrams larger than <see cref="SipTransportOptions.MaxMessageSize"/>; dropped.</summary>
    public long OversizedDropped => Interlocked.Read(ref _oversizedDropped);

    /// <summary>CRLF keep-alives: UDP datagrams of only CR/LF, and double-CRLF pings on TCP (each answered with a pong).</summary>
    public long KeepAlivesReceived => Interlocked.Read(ref _keepAlivesReceived);

    /// <summary>TCP connections closed because their byte stream could not be framed (oversized, bad Content-Length).</summary>
    public long FramingErrors => Interlocked.Read(ref _framingErrors);

    /// <summary>Exceptions thrown by the <see cref="ISipMessageHandler"/>; caught and logged.</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>Sends that failed with <see cref="SipTransportException"/>.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>TCP connections open now, accepted and opened.</summary>
    public long TcpConnectionsOpen => Interlocked.Read(ref _tcpConnectionsOpen);

    /// <summary>TCP connections accepted from peers since start.</summary>
    public long TcpConnectionsAccepted => Interlocked.Read(ref _tcpConnectionsAccepted);

    /// <summary>TCP connections we opened to peers since start.</summary>
    public long TcpConnectionsOpened => Interlocked.Read(ref _tcpConnectionsOpened);

    /// <summary>Incoming TCP connections closed at once because <see cref="SipTransportOptions.MaxTcpConnections"/> were open.</summary>
    public long TcpConnectionsRejected => Interlocked.Read(ref _tcpConnectionsRejected);

    /// <summary>Datagrams dropped because the UDP receive queue's byte budget was spent (<see cref="SipTransportOptions.UdpQueueMaxBytes"/>).</summary>
    public long QueueDropped => Interlocked.Read(ref _queueDropped);

    /// <summary>Strangers' datagrams dropped unparsed because they waited longer than <see cref="SipTransportOptions.UdpQueueMaxDelay"/>.</summary>
    public long QueueStaleDropped => Interlocked.Read(ref _queueStale);

    /// <summary>Datagrams of known probers dropped because their own queue's budget was spent.</summary>
    public long PriorityQueueDropped => Interlocked.Read(ref _priorityQueueDropped);

    /// <summary>Datagrams queued for parsing (both queues), and of them the known probers'.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    public long PriorityQueued => Interlocked.Read(ref _priorityQueued);

    /// <summary>The most bytes the strangers' UDP receive queue ever held at once (one listener's).</summary>
    public long QueuedBytesPeak => Interlocked.Read(ref _queuedBytesPeak);

    internal void OnQueued(bool priority, long queuedBytes)
    {
        Interlocked.Increment(ref _queued);
        if (priority)
        {
            Interlocked.Increment(ref _priorityQueued);
            return;
        }

        var peak = Interlocked.Read(ref _queuedBytesPeak);
        while (queuedBytes > peak)
        {
            var seen = Interlocked.CompareExchange(ref _queuedBytesPeak, queuedBytes, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    internal void OnQueueStale() => Interlocked.Increment(ref _queueStale);

    internal void OnQueueDropped(bool priority) => Interlocked.Increment(ref priority ? ref _priorityQueueDropped : ref _queueDropped);

    public override string ToString() =>
        $"received {MessagesReceived}, sent {MessagesSent}, unparseable {UnparseableDropped}, oversized {OversizedDropped}, " +
        $"framing errors {FramingErrors}, send errors {SendErrors}, tcp open {TcpConnectionsOpen} " +
        $"(accepted {TcpConnectionsAccepted}, opened {TcpConnectionsOpened}, rejected {TcpConnectionsRejected})";

    internal void OnMessageReceived() => Interlocked.Increment(ref _messagesReceived);

    internal void OnMessageSent() => Interlocked.Increment(ref _messagesSent);

    internal void OnSourceRefused() => Interlocked.Increment(ref _sourceRefused);

    internal void OnUnparseableDropped() => Interlocked.Increment(ref _unparseableDropped);

    internal void OnOversizedDropped() => Interlocked.Increment(ref _oversizedDropped);

    internal void OnKeepAlivesReceived(int count) => Interlocked.Add(ref _keepAlivesReceived, count);

    internal void OnFramingError() => Interlocked.Increment(ref _framingErrors);

    internal void OnHandlerError() => Interlocked.Increment(ref _handlerErrors);

    internal void OnSendError() => Interlocked.Increment(ref _sendErrors);

    internal void OnTcpConnectionAccepted()
    {
        Interlocked.Increment(ref _tcpConnectionsAccepted);
        Interlocked.Increment(ref _tcpConnectionsOpen);
    }

    internal void OnTcpConnectionOpened()
    {
        Interlocked.Increment(ref _tcpConnectionsOpened);
        Interlocked.Increment(ref _tcpConnectionsOpen);
    }

    internal void OnTcpConnectionRejected() => Interlocked.Increment(ref _tcpConnectionsRejected);

    internal void OnTcpConnectionClosed() => Interlocked.Decrement(ref _tcpConnectionsOpen);
}
