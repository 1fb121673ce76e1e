using System.Collections.Concurrent;
using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Security;

/// <summary>
/// Guards the SIP service: as the transport's <see cref="ISipSourceAdmission"/>, a per-source token bucket drops a
/// flood before it is even parsed; as the handler between transport and transaction layer, requests from sources
/// outside the allowed CIDR list get 403 or are dropped.
/// </summary>
public sealed class SourceGuard : ISipMessageHandler, ISipSourceAdmission
{
    private readonly ISipMessageHandler _inner;
    private readonly ISipMessageSender _sender;
    private readonly SourceGuardOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IPNetwork[] _allowed;
    private readonly IPNetwork[] _probers;
    private readonly ConcurrentDictionary<IPAddress, TokenBucket> _buckets = new();
    private long _forbidden;
    private long _rateLimited;

    public SourceGuard(ISipMessageHandler inner, ISipMessageSender sender, SourceGuardOptions options, TimeProvider time, ILogger<SourceGuard> logger)
    {
        _inner = inner;
        _sender = sender;
        _options = options;
        _time = time;
        _logger = logger;
        _allowed = [.. options.AllowedSources.Select(ParseNetwork)];
        _probers = options.ProberSources.Count > 0 ? [.. options.ProberSources.Select(ParseNetwork)] : _allowed;
    }

    /// <summary>Requests refused because of their source (403 or dropped).</summary>
    public long Forbidden => Interlocked.Read(ref _forbidden);

    /// <summary>Messages dropped by the per-source rate limit.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Parses "192.0.2.0/24", "2001:db8::/32" or a single address; throws FormatException naming the bad value.</summary>
    public static IPNetwork ParseNetwork(string value) =>
        TryParseNetwork(value, out var network) ? network : throw new FormatException($"'{value}' is not an IP address or CIDR block");

    public static bool TryParseNetwork(string value, out IPNetwork network)
    {
        var text = value.Trim();
        if (!text.Contains('/') && IPAddress.TryParse(text, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }

    public bool IsAllowed(IPAddress address) => _allowed.Length == 0 || Contains(_allowed, address);

    /// <summary>Whether any prober is known (<see cref="SourceGuardOptions.ProberSources"/> or an allow-list).</summary>
    public bool HasProbers => _probers.Length > 0;

    /// <summary>A known prober (<see cref="SourceGuardOptions.ProberSources"/>, else the allow-list): served first, shed last.</summary>
    public bool IsPriority(IPAddress source) => _probers.Length > 0 && Contains(_probers, source);

    /// <summary>
    /// In Drop mode a request from outside the allow-list is refused here, before it is parsed: it gets no answer, so
    /// it needs no parse (issue 12 item 2: a flood the agent drops used to cost a parse of every 8 KB datagram).
    /// A response ("SIP/2.0 ..." first) still passes: it can only match one of our own client transactions.
    /// </summary>
    public bool TryAdmit(IPAddress source, ReadOnlySpan<byte> message)
    {
        if (_options.RejectMode == SourceRejectMode.Drop && !IsAllowed(source) && !message.StartsWith("SIP/2.0 "u8))
        {
            if (Interlocked.Increment(ref _forbidden) % 1000 == 1)
            {
                SipLog.SourceRefused(_logger, source.ToString(), "request (dropped before parsing)", Forbidden);
            }

            return false;
        }

        return TryAdmit(source);
    }

    private static bool Contains(IPNetwork[] networks, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// TCP from outside AllowedSources is closed at accept in either RejectMode: nothing of it is read, so a stranger
    /// cannot hold buffers or connection slots (docs/security.md).
    /// </summary>
    public bool AcceptsConnectionFrom(IPAddress source)
    {
        if (IsAllowed(source))
        {
            return true;
        }

        if (Interlocked.Increment(ref _forbidden) % 100 == 1)
        {
            SipLog.SourceRefused(_logger, source.ToString(), "TCP connect", Forbidden);
        }

        return false;
    }

    /// <summary>The per-source rate limit, applied by the transport before parsing.</summary>
    public bool TryAdmit(IPAddress source)
    {
        if (TryTake(source))
        {
            return true;
        }

        if (Interlocked.Increment(ref _rateLimited) % 1000 == 1)
        {
            SipLog.RateLimited(_logger, source.ToString(), RateLimited);
        }

        return false;
    }

    public void OnMessage(IncomingMessage message)
    {
        var address = message.Source.EndPoint.Address;

        // Responses only ever match our own client transactions: the source list is about who may call us.
        if (message.Message is SipRequest request && !IsAllowed(address))
        {
            if (Interlocked.Increment(ref _forbidden) % 100 == 1)
            {
                SipLog.SourceRefused(_logger, message.Source.ToString(), request.Method, Forbidden);
            }

            if (_options.RejectMode == SourceRejectMode.Reject && request.Method != SipMethods.Ack && request.TopVia is { } via)
            {
                _ = RespondForbiddenAsync(request, ResponseRouting.GetResponseTarget(via, message.Source));
            }

            return;
        }

        _inner.OnMessage(message);
    }

    private async Task RespondForbiddenAsync(SipRequest request, SipTarget target)
    {
        try
        {
            await _sender.SendAsync(request.CreateResponse(403, null, SipIdentifiers.NewTag()), target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            SipLog.TransportError(_logger, "403", target.ToString(), ex);
        }
    }

    private bool TryTake(IPAddress address)
    {
        if (_options.RateLimitPerSecond <= 0)
        {
            return true;
        }

        var now = _time.GetTimestamp();
        if (_buckets.Count >= _options.MaxTrackedSources && !_buckets.ContainsKey(address))
        {
            Prune(now);
        }

        var bucket = _buckets.GetOrAdd(address, static (_, state) => new TokenBucket(state.Burst, state.Now), (Burst: _options.RateLimitBurst, Now: now));
        return bucket.TryTake(now, _time.TimestampFrequency, _options.RateLimitPerSecond, _options.RateLimitBurst);
    }

    private void Prune(long now)
    {
        var idle = _time.TimestampFrequency * 10;
        foreach (var (address, bucket) in _buckets)
        {
            if (now - bucket.LastSeen > idle)
            {
                _buckets.TryRemove(address, out _);
            }
        }

        if (_buckets.Count >= _options.MaxTrackedSources)
        {
            _buckets.Clear(); // under a spoofed-source flood, forgetting everyone is cheaper than growing
        }
    }

    private sealed class TokenBucket(double tokens, long lastSeen)
    {
        private readonly object _gate = new();
        private double _tokens = tokens;

        public long LastSeen { get; private set; } = lastSeen;

        public bool TryTake(long now, long frequency, double perSecond, int burst)
        {
            lock (_gate)
            {
                _tokens = Math.Min(burst, _tokens + ((now - LastSeen) * perSecond / frequency));
                LastSeen = now;
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }
        }
    }
}
