using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transport;

/// <summary>The transport layer's log messages, event ids 1000–1099.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(1000, LogLevel.Information, "SIP listening on {Address}")]
    public static partial void Listening(ILogger logger, SipListenAddress address);

    [LoggerMessage(1001, LogLevel.Information, "SIP listener {Address} stopped")]
    public static partial void ListenerStopped(ILogger logger, SipListenAddress address);

    [LoggerMessage(1002, LogLevel.Warning, "Dropped an oversized datagram of {Length} bytes or more from {Source} (limit {Limit})")]
    public static partial void OversizedDatagramDropped(ILogger logger, int length, IPEndPoint? source, int limit);

    [LoggerMessage(1003, LogLevel.Debug, "Dropped an unparseable message from {Source}: {Error}")]
    public static partial void UnparseableDropped(ILogger logger, SipTarget source, string? error);

    [LoggerMessage(1004, LogLevel.Error, "The SIP message handler threw for a message from {Source}")]
    public static partial void HandlerFailed(ILogger logger, SipTarget source, Exception exception);

    [LoggerMessage(1005, LogLevel.Debug, "UDP receive on {EndPoint} failed with {Error}; continuing")]
    public static partial void UdpReceiveFailed(ILogger logger, IPEndPoint endPoint, SocketError error);

    [LoggerMessage(1006, LogLevel.Debug, "TCP connection from {Remote} accepted on {Local}")]
    public static partial void TcpAccepted(ILogger logger, IPEndPoint remote, IPEndPoint local);

    [LoggerMessage(1007, LogLevel.Debug, "TCP connection {Remote} closed: {Reason}")]
    public static partial void TcpClosed(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(1008, LogLevel.Warning, "Refused a TCP connection from {Remote}: {Limit} connections are open")]
    public static partial void TcpConnectionLimitReached(ILogger logger, IPEndPoint? remote, int limit);

    [LoggerMessage(1009, LogLevel.Warning, "Closing the TCP connection with {Remote}: framing error: {Error}")]
    public static partial void TcpFramingError(ILogger logger, IPEndPoint remote, string error);

    [LoggerMessage(1010, LogLevel.Debug, "TCP connection to {Remote} opened from {Local}")]
    public static partial void TcpConnected(ILogger logger, IPEndPoint remote, IPEndPoint local);

    [LoggerMessage(1011, LogLevel.Warning, "Sending to {Target} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, SipTarget target, string error);

    [LoggerMessage(1012, LogLevel.Debug, "Closing the TCP connection with {Remote}: idle for {Idle}")]
    public static partial void TcpIdleClosed(ILogger logger, IPEndPoint remote, TimeSpan idle);

    [LoggerMessage(1013, LogLevel.Warning, "TCP accept on {EndPoint} failed with {Error}")]
    public static partial void TcpAcceptFailed(ILogger logger, IPEndPoint endPoint, SocketError error);

    [LoggerMessage(1014, LogLevel.Trace, "Answered {Count} keep-alive ping(s) from {Remote}")]
    public static partial void KeepAlivePong(ILogger logger, IPEndPoint remote, int count);

    [LoggerMessage(1015, LogLevel.Trace, "Received {Length} bytes from {Source}")]
    public static partial void Received(ILogger logger, int length, SipTarget source);

    [LoggerMessage(1016, LogLevel.Trace, "Sent {Length} bytes to {Target}")]
    public static partial void Sent(ILogger logger, int length, SipTarget target);

    [LoggerMessage(1017, LogLevel.Debug, "No route to {Remote} to pick a local address for: {Error}")]
    public static partial void NoRoute(ILogger logger, IPAddress remote, SocketError error);

    [LoggerMessage(1018, LogLevel.Warning, "UDP {EndPoint}: the {Queue} receive queue is full ({Bytes} bytes waiting to be parsed): datagrams dropped ({Total} in all)")]
    public static partial void QueueFull(ILogger logger, IPEndPoint endPoint, string queue, long bytes, long total);
}
