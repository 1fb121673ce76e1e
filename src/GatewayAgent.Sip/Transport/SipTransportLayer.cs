using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// The SIP transport layer (RFC 3261 §18): UDP and TCP listeners on the configured addresses, received messages
/// framed, parsed, Via-stamped and handed to one <see cref="ISipMessageHandler"/>, and sends routed to the listener
/// of the target's transport and address family (over an existing TCP connection when there is one).
/// </summary>
public sealed class SipTransportLayer : ISipMessageSender, IAsyncDisposable
{
    private readonly SipTransportOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LocalAddressResolver _resolver;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private volatile Listeners _listeners = Listeners.None;

    public SipTransportLayer(IOptions<SipTransportOptions> options, TimeProvider timeProvider, ILogger<SipTransportLayer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _resolver = new LocalAddressResolver(timeProvider, logger);
    }

    public SipTransportStatistics Statistics { get; } = new();

    /// <summary>Consulted for every received message before it is parsed (set before <see cref="StartAsync"/>).</summary>
    public ISipSourceAdmission? Admission { get; set; }

    public bool IsRunning => _listeners.IsRunning;

    /// <summary>The bound addresses, in the order given to <see cref="StartAsync"/>, with real ports for those given as 0.</summary>
    public IReadOnlyList<SipListenAddress> LocalEndPoints => _listeners.Bound;

    /// <summary>Binds every address and starts receiving. If one cannot be bound, none stays bound.</summary>
    /// <exception cref="SipTransportException">an address cannot be bound (in use, not a local address...).</exception>
    /// <exception cref="InvalidOperationException">the layer is already running.</exception>
    public async Task StartAsync(IEnumerable<SipListenAddress> addresses, ISipMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(handler);
        var list = addresses.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("at least one listen address is needed", nameof(addresses));
        }

        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_listeners.IsRunning)
            {
                throw new InvalidOperationException("the SIP transport layer is already running");
            }

            var dispatcher = new IncomingMessageDispatcher(handler, Statistics, _logger, Admission);
            var udp = new List<UdpSipTransport>();
            var tcp = new List<TcpSipTransport>();
            var bound = new List<SipListenAddress>();
            try
            {
                foreach (var address in list)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (address.Transport == SipTransportKind.Udp)
                    {
                        var transport = new UdpSipTransport(address, _options, dispatcher, Statistics, _logger);
                        udp.Add(transport);
                        transport.Start();
                        bound.Add(new SipListenAddress(SipTransportKind.Udp, transport.LocalEndPoint));
                    }
                    else
                    {
                        var transport = new TcpSipTransport(address, _options, dispatcher, Statistics, _timeProvider, _logger);
                        tcp.Add(transport);
                        transport.Start();
                        bound.Add(new SipListenAddress(SipTransportKind.Tcp, transport.LocalEndPoint));
                    }
                }
            }
            catch
            {
                await DisposeAllAsync(udp, tcp).ConfigureAwait(false);
                throw;
            }

            _listeners = new Listeners(true, [.. udp], [.. tcp], bound);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Closes every listener and connection and waits for their loops to end. The layer may be started again.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listeners = _listeners;
            _listeners = Listeners.None;
            await DisposeAllAsync(listeners.Udp, listeners.Tcp).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(SipMessage message, SipTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SendAsync(message.ToBytes(), target, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message, SipTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target.EndPoint);
        var remote = SipEndPoints.Normalize(target.EndPoint);
        target = target with { EndPoint = remote };
        try
        {
            if (message.Length > _options.MaxMessageSize)
            {
                throw new SipTransportException($"a message of {message.Length} bytes exceeds the {_options.MaxMessageSize}-byte limit");
            }

            var listeners = _listeners;
            if (target.Transport == SipTransportKind.Udp)
            {
                var udp = Select(listeners.Udp, t => t.LocalEndPoint, remote) ?? throw NoListener(target);
                await udp.SendAsync(message, remote, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var tcp = Array.Find(listeners.Tcp, t => t.HasConnection(remote))
                    ?? Select(listeners.Tcp, t => t.LocalEndPoint, remote)
                    ?? throw NoListener(target);
                await tcp.SendAsync(message, remote, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SipTransportException ex)
        {
            Statistics.OnSendError();
            TransportLog.SendFailed(_logger, target, ex.Message);
            throw;
        }

        Statistics.OnMessageSent();
        TransportLog.Sent(_logger, message.Length, target);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The endpoint of the listener of the target's transport and address family. A listener bound to 0.0.0.0 or [::]
    /// gets the address the OS would send from to reach the target (looked up once per remote address and cached).
    /// </remarks>
    /// <exception cref="SipTransportException">no listener of that transport and address family is running.</exception>
    public IPEndPoint GetLocalEndPoint(SipTarget target)
    {
        ArgumentNullException.ThrowIfNull(target.EndPoint);
        var remote = SipEndPoints.Normalize(target.EndPoint);
        var listeners = _listeners;
        var local = target.Transport == SipTransportKind.Udp
            ? Select(listeners.Udp, t => t.LocalEndPoint, remote)?.LocalEndPoint
            : Select(listeners.Tcp, t => t.LocalEndPoint, remote)?.LocalEndPoint;
        if (local is null)
        {
            throw NoListener(target);
        }

        if (!SipEndPoints.IsWildcard(local.Address))
        {
            return local;
        }

        var routed = _resolver.Resolve(remote.Address);
        return routed is null ? local : new IPEndPoint(routed, local.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
    }

    // Of the listeners of the remote's address family: the one bound to the address the OS routes from, else a
    // wildcard one, else the first. Null when none has that family.
    private T? Select<T>(T[] listeners, Func<T, IPEndPoint> endPoint, IPEndPoint remote)
        where T : class
    {
        T? first = null;
        T? wildcard = null;
        var candidates = 0;
        foreach (var listener in listeners)
        {
            var local = endPoint(listener);
            if (local.AddressFamily != remote.AddressFamily)
            {
                continue;
            }

            candidates++;
            first ??= listener;
            if (SipEndPoints.IsWildcard(local.Address))
            {
                wildcard ??= listener;
            }
        }

        if (candidates <= 1)
        {
            return first;
        }

        if (_resolver.Resolve(remote.Address) is { } routed)
        {
            foreach (var listener in listeners)
            {
                if (endPoint(listener).Address.Equals(routed))
                {
                    return listener;
                }
            }
        }

        return wildcard ?? first;
    }

    private static SipTransportException NoListener(SipTarget target) =>
        new($"no {target.Transport.ToString().ToUpperInvariant()} listener for " +
            (target.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4") + $" to reach {target}");

    private static async Task DisposeAllAsync(IEnumerable<UdpSipTransport> udp, IEnumerable<TcpSipTransport> tcp)
    {
        foreach (var transport in udp)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var transport in tcp)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Listeners(bool IsRunning, UdpSipTransport[] Udp, TcpSipTransport[] Tcp, IReadOnlyList<SipListenAddress> Bound)
    {
        public static Listeners None { get; } = new(false, [], [], []);
    }
}
