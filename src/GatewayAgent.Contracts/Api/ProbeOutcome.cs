namespace GatewayAgent.Contracts.Api;

public enum ProbeOutcome
{
    /// <summary>180/183/2xx from the monitoring number, or 486/600 busy: the line is up.</summary>
    Reached,
    /// <summary>Timeout, transport error, 404/408/480, 5xx, other 6xx.</summary>
    Missed,
    /// <summary>A miss the canary did not confirm (it missed in the probe's round or right after the miss): the prober's own trouble; never counts toward failure.</summary>
    ProberDegraded,
}
