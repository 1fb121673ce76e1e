using GatewayAgent.Hardware.Leds;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Board;

/// <summary>
/// Keeps the LEDs on the <see cref="LedPolicy"/>: re-decides on every <see cref="AgentStatus.Changed"/> and once a
/// second (the SIP leg coming up and the probe window are not status changes), drives the <see cref="LedPanel"/> and
/// writes the patterns to <see cref="AgentStatus.Leds"/>.
/// </summary>
public sealed class StatusLeds : IDisposable
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly AgentStatus _status;
    private readonly WanGate _gate;
    private readonly TimeProvider _time;
    private readonly BoardOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private LedPanel? _panel;
    private ITimer? _timer;
    private DateTimeOffset _startedAt;
    private string _shown = "";

    public StatusLeds(AgentStatus status, WanGate gate, TimeProvider time, IOptions<BoardOptions> options, IServiceProvider services, ILogger<StatusLeds> logger)
    {
        _status = status;
        _gate = gate;
        _time = time;
        _options = options.Value;
        _services = services;
        _logger = logger;
    }

    public void Start(LedPanel panel)
    {
        _panel = panel;
        _startedAt = _time.GetUtcNow();
        _status.Changed += Update;
        Update();
        _timer = _time.CreateTimer(_ => Update(), null, RecheckInterval, RecheckInterval);
    }

    public LedSituation Situation()
    {
        var now = _time.GetUtcNow();
        var lastProbe = _status.LastProbeAnswered ?? _startedAt;
        return new LedSituation
        {
            Power = _status.Power,
            BatteryLow = _status.BatteryLow,
            Wan = _status.Wan,
            SipGateOpen = _gate.IsOpen,
            SipRunning = _services.GetService<SipTransportLayer>()?.LocalEndPoints.Count > 0,
            Registration = _status.Registration,
            ProbesOverdue = _options.ProbeExpectedWithin > TimeSpan.Zero && now - lastProbe > _options.ProbeExpectedWithin,
            Cloud = _status.Cloud,
            SpoolDepth = _status.SpoolDepth,
        };
    }

    private void Update()
    {
        if (_panel is not { } panel)
        {
            return;
        }

        Dictionary<string, string> names;
        lock (_lock)
        {
            var patterns = LedPolicy.Decide(Situation());
            foreach (var (led, pattern) in patterns)
            {
                panel.SetPattern(led, pattern);
            }

            names = patterns.ToDictionary(p => LedPolicy.Name(p.Key), p => LedPolicy.Name(p.Value));
            var shown = string.Join(' ', names.Select(n => $"{n.Key}={n.Value}"));
            if (shown == _shown)
            {
                return; // AgentStatus.Leds compares by reference: only write a real change (it raises Changed again)
            }

            _shown = shown;
            BoardLog.LedsChanged(_logger, shown);
        }

        _status.Leds = names;
    }

    public void Dispose()
    {
        _status.Changed -= Update;
        _timer?.Dispose();
    }
}
