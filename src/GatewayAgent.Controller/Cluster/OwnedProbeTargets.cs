using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Cluster;

/// <summary>The probe targets of the shards this node owns: the scheduler probes only those (re-read when ownership changes).</summary>
public sealed class OwnedProbeTargets(ContractProbeTargets contracts, IProbeOwnership ownership) : IProbeTargetSource
{
    public ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(CancellationToken cancellationToken) =>
        ownership.Clustered
            ? contracts.GetTargetsAsync(ownership.Shards, ownership.OwnedShards(), cancellationToken)
            : contracts.GetTargetsAsync(cancellationToken);
}
