namespace GatewayAgent.Controller.Cluster;

/// <summary>Which contracts this node probes and records: those of the shards it holds a valid lease on.</summary>
public interface IProbeOwnership
{
    /// <summary>False on SQLite (one node owns every contract); true on PostgreSQL.</summary>
    bool Clustered { get; }

    int Shards { get; }

    string NodeId { get; }

    /// <summary>How long a heartbeat and a lease are valid (Controller:Cluster:LeaseTime).</summary>
    TimeSpan LeaseTime { get; }

    /// <summary>True when this node holds the contract's shard now (always true when not clustered).</summary>
    bool Owns(long contractId);

    /// <summary>The fencing epoch of this node's valid lease on <paramref name="shard"/>, or null when it holds none.</summary>
    long? EpochOf(int shard);

    /// <summary>The shards this node holds valid leases on now, in order.</summary>
    IReadOnlyList<int> OwnedShards();

    /// <summary>Raised after the set of owned shards (or one's epoch) changed.</summary>
    event Action? Changed;
}
