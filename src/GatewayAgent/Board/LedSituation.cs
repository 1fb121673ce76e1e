using GatewayAgent.Status;

namespace GatewayAgent.Board;

/// <summary>What the LEDs are decided from: the parts of <see cref="AgentStatus"/> that matter plus the SIP leg.</summary>
public sealed record LedSituation
{
    public PowerSource Power { get; init; }
    public bool BatteryLow { get; init; }
    public LinkState Wan { get; init; }
    /// <summary>The SIP leg hears the network (false while the simulated site is cut).</summary>
    public bool SipGateOpen { get; init; } = true;
    public bool SipRunning { get; init; }
    /// <summary>"registered", "unregistered" (registering), "failed" or "disabled" (no registrar).</summary>
    public string Registration { get; init; } = "disabled";
    /// <summary>No probe was answered for longer than Agent:Board:ProbeExpectedWithin.</summary>
    public bool ProbesOverdue { get; init; }
    public CloudState Cloud { get; init; }
    public long SpoolDepth { get; init; }
}
