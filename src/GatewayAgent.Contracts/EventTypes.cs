namespace GatewayAgent.Contracts;

/// <summary>The <see cref="AgentEvent.Type"/> values an agent publishes.</summary>
public static class EventTypes
{
    public const string PowerLost = "power.lost";
    public const string PowerRestored = "power.restored";
    public const string BatteryLow = "battery.low";
    public const string BatteryOk = "battery.ok";
    public const string WanDown = "wan.down";
    public const string WanUp = "wan.up";
    public const string ProbeAnswered = "probe.answered";
    public const string SipRegistered = "sip.registered";
    public const string SipUnregistered = "sip.unregistered";
    /// <summary>Button pressed: <see cref="AgentEvent.Detail"/> "short" (LED test + self-test) or "long" (technician on site).</summary>
    public const string Button = "button";
    public const string TechnicianOnSite = "technician.on-site";
    public const string AgentStopping = "agent.stopping";
}
