namespace GatewayAgent.Board;

/// <summary>"Agent:Board:Simulation": how the simulated site behaves (only with Agent:Board:Kind=sim).</summary>
public sealed class BoardSimulationOptions
{
    /// <summary>
    /// A simulated power cut also silences the SIP leg: the ONU/router loses power while the adapter runs on its UPS,
    /// so probes stop arriving (no wan.down is reported for it: the adapter's own link may stay up).
    /// </summary>
    public bool SipDownOnPowerLoss { get; set; } = true;

    /// <summary>Battery voltage the simulated INA219 starts with.</summary>
    public double BatteryVolts { get; set; } = 8.2;
}
