using GatewayAgent.Domain.Durations;
using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Sip.Transport;

/// <summary>Limits and socket settings of the SIP transport layer (bind from configuration section <see cref="SectionName"/>).</summary>
public sealed class SipTransportOptions
{
    public const string SectionName = "Sip:Transport";

    /// <summary>
    /// The largest message accepted or sent, in bytes: a bigger UDP datagram is dropped and counted, a bigger message
    /// on a TCP stream (header section plus Content-Length) is a framing error that closes the connection.
    /// </summary>
    [Range(1024, 1_048_576)]
    public int MaxMessageSize { get; set; } = 65535;

    /// <summary>A TCP connection with no traffic either way for this long is closed.</summary>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most accepted TCP connections open at once; further accepts are closed straight away. Connections we open
    /// (registration, TCP probes, responses) have a budget of the same size of their own, so inbound idlers cannot
    /// block them (docs/security.md).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxTcpConnections { get; set; } = 1024;

    /// <summary>The most accepted TCP connections from one source IP address; further accepts from it are closed straight away.</summary>
    [Range(1, 100_000)]
    public int MaxTcpConnectionsPerSource { get; set; } = 8;

    /// <summary>An accepted TCP connection that has not sent one complete SIP message within this time is closed.</summary>
    [DurationRange("00:00:00.100", "00:10:00")]
    public TimeSpan TcpFirstMessageTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an outgoing TCP connect may take before the send fails with <see cref="SipTransportException"/>.</summary>
    [DurationRange("00:00:00.100", "00:05:00")]
    public TimeSpan TcpConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SO_RCVBUF of each UDP socket, in bytes (default 1 MiB, so a burst is queued rather than dropped by the kernel;
    /// Linux caps it at net.core.rmem_max); null keeps the OS default.
    /// </summary>
    [Range(4096, 64 * 1024 * 1024)]
    public int? UdpSocketReceiveBufferSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes of received datagrams waiting to be parsed on each UDP listener, from sources other than the known probers
    /// (issue 12 item 2). The socket is read by one loop that only copies each datagram out and queues it, so the kernel's
    /// queue keeps draining while messages are parsed; beyond this budget a stranger's datagram is dropped and counted.
    /// </summary>
    [Range(65_536, 256 * 1024 * 1024)]
    public int UdpQueueMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The same budget for the known probers' datagrams (<c>ProberSources</c>, else <c>AllowedSources</c>), which are
    /// parsed ahead of everyone else's and so are not delayed by a flood waiting in the other queue.
    /// </summary>
    [Range(65_536, 256 * 1024 * 1024)]
    public int UdpPriorityQueueMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a stranger's datagram may wait in its queue (issue 13). Older ones are dropped unparsed and counted: a
    /// UDP peer has retransmitted by then (T1 = 500 ms), so working on the stale copy only delays the fresh one, and an
    /// overloaded agent would spend itself on requests whose senders gave up (congestion collapse). The known probers'
    /// queue has no such limit. Zero turns it off.
    /// </summary>
    public TimeSpan UdpQueueMaxDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>SO_RCVBUF of each TCP connection, in bytes; null keeps the OS default.</summary>
    [Range(4096, 64 * 1024 * 1024)]
    public int? TcpSocketReceiveBufferSize { get; set; }

    /// <summary>How many bytes one read of a TCP connection asks for (the framer reassembles messages across reads).</summary>
    [Range(512, 1_048_576)]
    public int TcpReadBufferSize { get; set; } = 16 * 1024;

    /// <summary>The listen backlog of each TCP listener.</summary>
    [Range(1, 65535)]
    public int TcpListenBacklog { get; set; } = 128;
}
