using GatewayAgent.Contracts;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Status;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Telemetry;

/// <summary>Reads the agent's live state into a <see cref="TelemetrySnapshot"/>.</summary>
public sealed class TelemetrySnapshotSource
{
    private readonly AgentStatus _status;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly long _started;
    private long _seq;

    public TelemetrySnapshotSource(AgentStatus status, IServiceProvider services, TimeProvider time)
    {
        _status = status;
        _services = services;
        _time = time;
        _started = time.GetTimestamp();
    }

    public TelemetrySnapshot Take(EventSpool? spool) => new()
    {
        Seq = Interlocked.Increment(ref _seq),
        Ts = _time.GetUtcNow(),
        Power = _status.Power switch
        {
            PowerSource.Mains => "mains",
            PowerSource.Battery => "battery",
            _ => "unknown",
        },
        Battery = _status.Battery,
        Wan = _status.Wan switch
        {
            LinkState.Up => "up",
            LinkState.Down => "down",
            _ => "unknown",
        },
        Sip = new SipSnapshot
        {
            Registration = _status.Registration,
            // The answerer exists only where the SIP stack is composed (always in the agent host).
            ActiveCalls = _services.GetService<ProbeAnswerer>()?.ActiveCalls ?? 0,
            LastProbeAnswered = _status.LastProbeAnswered,
        },
        Leds = _status.Leds,
        UptimeSeconds = Math.Round(_time.GetElapsedTime(_started).TotalSeconds, 3),
        SpoolDepth = spool?.Depth ?? 0,
        SpoolDropped = spool?.Dropped ?? 0,
    };
}
