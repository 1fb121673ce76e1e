namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// The shard of a contract: its id modulo the shard count. Contract ids are a dense sequence, so the shards are even,
/// and the same expression filters the contract list in SQL (<c>id % shards</c>).
/// </summary>
public static class ContractShard
{
    public static int Of(long contractId, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var shard = contractId % shards;
        return (int)(shard < 0 ? shard + shards : shard);
    }
}
