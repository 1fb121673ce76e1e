using System.Data.Common;
using GatewayAgent.Controller.Detection;

namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// The recorder's fence on PostgreSQL: an outcome is written only if this node's lease on the contract's shard is
/// still in the table with the same owner and fencing epoch and has not run out. The shard rows are read with a share
/// lock (in shard order, before any contract row), so a node claiming the shard waits for this commit: the writes of a
/// node that lost its lease are refused, and the new owner reads the detector's counters after the last write of the old
/// one (FN-4's count is neither reset nor counted twice across a takeover).
/// </summary>
public sealed class ShardLeaseFence(IProbeOwnership ownership, ClusterMetrics metrics, TimeProvider time, ILogger<ShardLeaseFence> logger) : IOutcomeFence
{
    public async Task<IReadOnlySet<long>?> HoldAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> contractIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contractIds);
        if (!ownership.Clustered)
        {
            return null;
        }

        var shards = ownership.Shards;
        var wanted = contractIds.Select(id => ContractShard.Of(id, shards)).ToHashSet();
        var rows = await ShardTable.LockForWriteAsync(connection, transaction, wanted, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var valid = rows.Where(r => r.Owner == ownership.NodeId && r.IsHeldAt(now) && ownership.EpochOf(r.Shard) == r.Epoch)
            .Select(r => r.Shard).ToHashSet();
        return contractIds.Where(id => valid.Contains(ContractShard.Of(id, shards))).ToHashSet();
    }

    public void Refused(IReadOnlyCollection<long> contractIds)
    {
        ArgumentNullException.ThrowIfNull(contractIds);
        metrics.Fenced(contractIds.Count);
        foreach (var id in contractIds)
        {
            Log.OutcomeFenced(logger, id, ContractShard.Of(id, ownership.Shards), ownership.NodeId);
        }
    }
}
