namespace GatewayAgent.Controller.Cluster;

/// <summary>One row of cluster_shards: who holds the shard, the fencing epoch of that holding, and until when.</summary>
/// <param name="Epoch">Incremented by every claim; a write fenced with an older epoch is refused.</param>
public sealed record ShardLease(int Shard, string? Owner, long Epoch, DateTimeOffset LeaseUntil)
{
    /// <summary>Held by a node whose lease has not run out.</summary>
    public bool IsHeldAt(DateTimeOffset now) => Owner is not null && LeaseUntil > now;
}
