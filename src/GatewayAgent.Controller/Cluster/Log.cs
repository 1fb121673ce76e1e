namespace GatewayAgent.Controller.Cluster;

/// <summary>Cluster log messages, event ids 6800-6849.</summary>
internal static partial class Log
{
    [LoggerMessage(6800, LogLevel.Information, "Cluster node {NodeId} joined: {Shards} shards, lease {LeaseTime}, heartbeat {Heartbeat}")]
    public static partial void Joined(ILogger logger, string nodeId, int shards, TimeSpan leaseTime, TimeSpan heartbeat);

    [LoggerMessage(6801, LogLevel.Information, "Cluster node {NodeId}: {LiveNodes} live nodes, holds {Held} shards ({Claimed} claimed, {Released} released)")]
    public static partial void Rebalanced(ILogger logger, string nodeId, int liveNodes, int held, int claimed, int released);

    [LoggerMessage(6802, LogLevel.Warning, "Shard {Shard} taken over from node {PreviousOwner} (its lease ran out), epoch {Epoch}")]
    public static partial void ShardTakenOver(ILogger logger, int shard, string previousOwner, long epoch);

    [LoggerMessage(6803, LogLevel.Warning, "Cluster node {NodeId}: heartbeat failed (leases are trusted until they run out)")]
    public static partial void HeartbeatFailed(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(6804, LogLevel.Error, "Cluster node {NodeId}: {Count} shard leases ran out without renewal; their contracts are no longer probed here")]
    public static partial void LeasesLapsed(ILogger logger, string nodeId, int count);

    [LoggerMessage(6805, LogLevel.Information, "Cluster node {NodeId} left: its shards were released")]
    public static partial void Left(ILogger logger, string nodeId);

    [LoggerMessage(6806, LogLevel.Warning, "Cluster node {NodeId}: could not release its shards on stop (they run out on their own)")]
    public static partial void LeaveFailed(ILogger logger, string nodeId, Exception exception);

    [LoggerMessage(6807, LogLevel.Warning, "Contract {ContractId}: probe outcome refused, node {NodeId} no longer holds shard {Shard}")]
    public static partial void OutcomeFenced(ILogger logger, long contractId, int shard, string nodeId);

    [LoggerMessage(6808, LogLevel.Information, "Contract {ContractId}: fast probing ({Cause}) triggered by node {Origin}")]
    public static partial void RemoteTrigger(ILogger logger, long contractId, string cause, string origin);

    [LoggerMessage(6809, LogLevel.Warning, "Dying-gasp triggers could not be written or read (retried)")]
    public static partial void TriggerRelayFailed(ILogger logger, Exception exception);

    [LoggerMessage(6810, LogLevel.Error, "Cluster node {NodeId}: the canary has failed for {YieldAfter}: this node gives its shards to nodes whose canary answers")]
    public static partial void ProberUnhealthy(ILogger logger, string nodeId, TimeSpan yieldAfter);

    [LoggerMessage(6811, LogLevel.Information, "Cluster node {NodeId}: the canary answers again: this node takes its share of shards again")]
    public static partial void ProberHealthy(ILogger logger, string nodeId);
}
