using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// The probe targets (FN-3) of the shards this node owns: with several nodes each contract is probed by exactly one of
/// them, the scheduler re-reading its targets whenever ownership changes.
/// </summary>
public sealed class OwnedProbeTargets(ContractProbeTargets contracts, IProbeOwnership ownership) : IProbeTargetSource
{
    public ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(CancellationToken cancellationToken) =>
        ownership.Clustered
            ? contracts.GetTargetsAsync(ownership.Shards, ownership.OwnedShards(), cancellationToken)
            : contracts.GetTargetsAsync(cancellationToken);
}
