using GatewayAgent.Contracts;

namespace GatewayAgent.LocalControl;

/// <summary>The "status" verb's data: what a technician needs on site without the cloud.</summary>
public sealed record LocalStatusReport
{
    public required string Version { get; init; }
    public required string Board { get; init; }
    public required bool Simulated { get; init; }
    public required double UptimeSeconds { get; init; }
    /// <summary>"mains", "battery" or "unknown".</summary>
    public required string Power { get; init; }
    public BatteryReading? Battery { get; init; }
    public required bool BatteryLow { get; init; }
    /// <summary>"up", "down" or "unknown".</summary>
    public required string Wan { get; init; }
    /// <summary>False while the simulated site is cut (the SIP leg hears nothing).</summary>
    public required bool SipGateOpen { get; init; }
    public required SipSnapshot Sip { get; init; }
    public required IReadOnlyList<string> SipListening { get; init; }
    /// <summary>"disabled", "connecting", "connected" or "disconnected".</summary>
    public required string Cloud { get; init; }
    public required long SpoolDepth { get; init; }
    /// <summary>LED → pattern ("off", "steady", "slow-blink", "fast-blink").</summary>
    public required IReadOnlyDictionary<string, string> Leds { get; init; }
    /// <summary>Debounced input → active.</summary>
    public required IReadOnlyDictionary<string, bool> Inputs { get; init; }
}
