using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Probing;

/// <summary>
/// The real dialer: the controller's own SIP stack (transport bound to Controller:Probing:Listen, transaction layer,
/// <see cref="ProbeCaller"/>). The INVITE goes to the target URI's host (an IP literal) or through the outbound
/// proxy; it carries no SDP (the prober sends no media), an answered probe is ended with ACK+BYE, a ringing one that
/// is not answered in time with CANCEL. Its socket is guarded like the agent's (issue 12 item 11): the
/// <see cref="SourceGuard"/> of Controller:Probing (AllowedSources, RejectMode, RateLimitPerSecond, RateLimitBurst,
/// MaxTrackedSources) between the transport and the transaction layer, with <see cref="ProberSourceAdmission"/>
/// exempting the outbound proxies it dials through from the rate limit.
/// </summary>
public sealed class SipProbeDialer : IProbeDialer, IHostedService, IAsyncDisposable
{
    private readonly ProbingOptions _options;
    private readonly ILogger _logger;
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _transactions;
    private readonly ProbeCaller _caller;
    private readonly SourceGuard _guard;
    private readonly ProberSourceAdmission _admission;

    /// <param name="options">Controller:Probing.</param>
    /// <param name="time">The clock (rate limit buckets, timers).</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="sources">Controller:Probing's source guard keys; null: the agent's defaults (any source, 200/s per source).</param>
    public SipProbeDialer(IOptions<ProbingOptions> options, TimeProvider time, ILoggerFactory loggers, IOptions<SourceGuardOptions>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _logger = loggers.CreateLogger<SipProbeDialer>();
        // 4 MiB of receive buffer (Linux caps it at net.core.rmem_max): at thousands of probes a second the answers of a
        // burst must queue, not be dropped by the kernel while the receive loop is descheduled.
        var transport = new SipTransportOptions { UdpSocketReceiveBufferSize = 4 * 1024 * 1024 };
        _transport = new SipTransportLayer(Options.Create(transport), time, loggers.CreateLogger<SipTransportLayer>());
        _transactions = new SipTransactionLayer(_transport, new SipTimerOptions(), time, loggers.CreateLogger<SipTransactionLayer>());
        _caller = new ProbeCaller(_transactions, null, time, loggers.CreateLogger<ProbeCaller>());
        _transactions.User = _caller;
        var guardOptions = sources?.Value ?? new SourceGuardOptions();
        _guard = new SourceGuard(_transactions, _transport, guardOptions, time, loggers.CreateLogger<SourceGuard>());
        _admission = new ProberSourceAdmission(_guard, guardOptions, time);
        _transport.Admission = _admission;
    }

    /// <summary>Requests refused because of their source (403 or dropped).</summary>
    public long SourcesRefused => _guard.Forbidden;

    /// <summary>Messages dropped by the per-source rate limit.</summary>
    public long RateLimited => _guard.RateLimited;

    /// <summary>The bound listener(s), with the real port when Listen asked for port 0.</summary>
    public IReadOnlyList<SipListenAddress> LocalEndPoints => _transport.LocalEndPoints;

    /// <summary>Live client transactions (INVITEs, CANCELs and BYEs not yet terminated).</summary>
    public int ClientTransactionCount => _transactions.ClientTransactionCount;

    /// <summary>
    /// Client transactions past their final response, kept as compact records for their last timer: INVITEs answered
    /// 2xx (Timer M, 32 s) and BYEs or CANCELs answered over UDP (Timer K, 5 s).
    /// </summary>
    public int ClientTransactionRecordCount => _transactions.AcceptedClientTransactionCount + _transactions.CompletedClientTransactionCount;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _transport.StartAsync([SipListenAddress.Parse(_options.Listen)], _guard, cancellationToken).ConfigureAwait(false);
        ProbingLog.Listening(_logger, string.Join(", ", _transport.LocalEndPoints));
    }

    public Task StopAsync(CancellationToken cancellationToken) => _transport.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await _transport.DisposeAsync().ConfigureAwait(false);

    public async Task<ProbeDialResult> DialAsync(ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!TryCreateRequest(target, _options, timeout, out var request, out var error))
        {
            return ProbeDialResult.TransportError(error);
        }

        if (!string.IsNullOrWhiteSpace(target.OutboundProxy))
        {
            _admission.DialledThrough(request.Target.EndPoint.Address);
        }

        try
        {
            var result = await _caller.CallAsync(request, cancellationToken).ConfigureAwait(false);
            return Map(result);
        }
        catch (Exception ex) when (ex is SipTransportException or SocketException or ObjectDisposedException)
        {
            return ProbeDialResult.TransportError(ex.Message);
        }
    }

    /// <summary>
    /// ProbeCaller flags a timeout (cancelled after a provisional, or abandoned: 408 with an error text) and reports a
    /// transport error as 503 with an error text; a real 408 or 503 response has none.
    /// </summary>
    internal static ProbeDialResult Map(ProbeCallResult result)
    {
        var provisional = result.ProvisionalStatus is > 100 ? result.ProvisionalStatus : null;
        if ((result.TimedOut && result.FinalStatus is not (>= 200 and < 300)) || (result.Error is not null && result.FinalStatus == 408))
        {
            return new ProbeDialResult(ProbeDialFailure.Timeout, provisional, null, provisional is null ? null : result.SetupTime, result.Error);
        }

        if (result.Error is not null && result.FinalStatus == 503)
        {
            return new ProbeDialResult(ProbeDialFailure.TransportError, provisional, null, null, result.Error);
        }

        return new ProbeDialResult(ProbeDialFailure.None, provisional, result.FinalStatus, result.SetupTime, null, result.ByeStatus);
    }

    /// <summary>Builds the ProbeCaller request: Request-URI = the target URI, next hop = its host:port or the outbound proxy.</summary>
    internal static bool TryCreateRequest(ProbeTarget target, ProbingOptions options, TimeSpan timeout, out ProbeCallRequest request, out string error)
    {
        request = null!;
        if (!SipUri.TryParse(target.Target, out var uri, out var uriError) || uri.Scheme != "sip")
        {
            error = $"bad target URI '{target.Target}': {uriError ?? "not a sip: URI"}";
            return false;
        }

        if (!string.IsNullOrEmpty(target.MonitoringNumber) && uri.User is null)
        {
            uri.User = target.MonitoringNumber;
        }

        if (uri.User is null)
        {
            error = $"target URI '{target.Target}' names no monitoring number";
            return false;
        }

        string? route = null;
        SipTarget next;
        if (!string.IsNullOrWhiteSpace(target.OutboundProxy))
        {
            if (!SipListenAddress.TryParse(target.OutboundProxy, out var proxy, out var proxyError))
            {
                error = $"bad outbound proxy '{target.OutboundProxy}': {proxyError}";
                return false;
            }

            next = new SipTarget(proxy.Transport, proxy.EndPoint);
            route = $"<sip:{FormatHostPort(proxy.EndPoint)};lr{(proxy.Transport == SipTransportKind.Tcp ? ";transport=tcp" : "")}>";
        }
        else
        {
            if (!TryParseAddress(uri.Host, out var address))
            {
                error = $"target host '{uri.Host}' is not an IP address (the prober does no DNS; use an outbound proxy)";
                return false;
            }

            var tcp = string.Equals(uri.Parameters["transport"], "tcp", StringComparison.OrdinalIgnoreCase);
            next = new SipTarget(tcp ? SipTransportKind.Tcp : SipTransportKind.Udp, new IPEndPoint(address, uri.Port ?? 5060));
        }

        request = new ProbeCallRequest
        {
            Target = next,
            RequestUri = uri,
            Route = route,
            CallerNumber = options.CallerNumber,
            CancelOnRinging = options.EndOnRinging,
            Timeout = timeout,
        };
        error = "";
        return true;
    }

    // An IP literal as it appears in a SIP URI host: dotted-quad IPv4 or bracketed IPv6; no DNS.
    private static bool TryParseAddress(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        var text = bracketed ? host[1..^1] : host;
        return IPAddress.TryParse(text, out address) &&
               (address.AddressFamily == AddressFamily.InterNetworkV6 ? bracketed : !bracketed && text.Count(c => c == '.') == 3);
    }

    private static string FormatHostPort(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";
}
