using GatewayAgent.Contracts;
using GatewayAgent.Sip.Security;
using GatewayAgent.Status;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Answering;

/// <summary>
/// Opens the SIP listeners and wires transport → source guard → transaction layer → probe answerer. The host is ready
/// (systemd READY=1) once every listener is bound.
/// </summary>
public sealed class SipAgentService : IHostedService
{
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _transactions;
    private readonly ProbeAnswerer _answerer;
    private readonly SourceGuard _guard;
    private readonly AgentSipOptions _options;
    private readonly ProbeAnswererOptions _answering;
    private readonly AgentStartTime _started;
    private readonly AgentStatus _status;
    private readonly AgentEventHub _events;
    private readonly WanGate _wan;
    private readonly ILogger _logger;

    public SipAgentService(
        SipTransportLayer transport,
        SipTransactionLayer transactions,
        ProbeAnswerer answerer,
        SourceGuard guard,
        IOptions<AgentSipOptions> options,
        IOptions<ProbeAnswererOptions> answering,
        AgentStartTime started,
        AgentStatus status,
        AgentEventHub events,
        WanGate wan,
        ILogger<SipAgentService> logger)
    {
        _transport = transport;
        _transactions = transactions;
        _answerer = answerer;
        _guard = guard;
        _options = options.Value;
        _answering = answering.Value;
        _started = started;
        _status = status;
        _events = events;
        _wan = wan;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_answering.MonitorNumbers.Count == 0)
        {
            AgentLog.NoMonitorNumbers(_logger);
        }

        // A closed WAN gate (simulated site cut) hears nothing, exactly like a dead access line.
        _transport.Admission = new GatedAdmission(_wan, _guard);
        await _transport.StartAsync(_options.ListenAddresses(), _guard, cancellationToken).ConfigureAwait(false);
        var sinceStart = System.Diagnostics.Stopwatch.GetElapsedTime(_started.Timestamp);
        AgentLog.Listening(_logger, string.Join(", ", _transport.LocalEndPoints), string.Join(", ", _answering.MonitorNumbers),
            _answering.Channels, sinceStart.TotalMilliseconds);
        _answerer.Answered += OnAnswered;
    }

    private void OnAnswered(ProbeAnswered probe)
    {
        AgentLog.ProbeAnswered(_logger, probe.CallId, probe.Source.ToString(), probe.Number, probe.SetupTime.TotalMilliseconds);
        _status.LastProbeAnswered = probe.AnsweredAt;
        _events.Raise(EventTypes.ProbeAnswered, probe.Number, at: probe.AnsweredAt);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _answerer.DisposeAsync().ConfigureAwait(false);
        await _transport.StopAsync(cancellationToken).ConfigureAwait(false);
        var stats = _answerer.GetStatistics();
        AgentLog.Stopped(_logger, stats.ProbesAnswered, _transport.Statistics.UnparseableDropped, _guard.Forbidden, _guard.RateLimited,
            _transactions.InvalidRequestsAnswered);
    }

    private sealed class GatedAdmission(WanGate gate, ISipSourceAdmission inner) : ISipSourceAdmission
    {
        public bool TryAdmit(System.Net.IPAddress source) => gate.IsOpen && inner.TryAdmit(source);

        public bool TryAdmit(System.Net.IPAddress source, ReadOnlySpan<byte> message) => gate.IsOpen && inner.TryAdmit(source, message);

        public bool IsPriority(System.Net.IPAddress source) => inner.IsPriority(source);

        public bool AcceptsConnectionFrom(System.Net.IPAddress source) => gate.IsOpen && inner.AcceptsConnectionFrom(source);
    }
}
