namespace GatewayAgent.Controller.Probing;

/// <summary>
/// Dying gasp: telemetry says a site lost power or WAN or went offline, so probe its contract now and then at
/// Controller:Probing:FastInterval until the failure is declared, the site has answered FailureThreshold fast probes in a
/// row, or 2 × FailureThreshold fast probes are spent (<see cref="FastPhase"/>). Four misses are still required to
/// declare a failure.
/// </summary>
public interface IFastProbing
{
    /// <param name="cause">"power.lost", "wan.down" or "offline": kept with the probes and named in the failure mail.</param>
    void Trigger(long contractId, string cause);
}
