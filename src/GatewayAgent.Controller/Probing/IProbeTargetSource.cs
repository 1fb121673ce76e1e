namespace GatewayAgent.Controller.Probing;

/// <summary>The contracts to probe (service on, FN-14), read by the scheduler at the start of every round.</summary>
public interface IProbeTargetSource
{
    ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(CancellationToken cancellationToken);
}
