namespace GatewayAgent.Controller.Cluster;

/// <summary>One heartbeat: the shard table as the node found it (locked), the live nodes, the plan it applied, and its leases' new end.</summary>
public sealed record HeartbeatResult(IReadOnlyList<ShardLease> Table, IReadOnlyList<string> LiveNodes, ShardPlan Plan, DateTimeOffset LeaseUntil)
{
    /// <summary>The earliest end of a lease held by another node (when a takeover may become possible), or null.</summary>
    public DateTimeOffset? NextForeignExpiry(string self, DateTimeOffset now) =>
        Table.Where(s => s.Owner != self && s.IsHeldAt(now)).Select(s => (DateTimeOffset?)s.LeaseUntil).Min();
}
