namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// The rebalancing rule, applied by each node to the shard table it has locked in its heartbeat transaction. Every live
/// node has a quota (the shards divided evenly over the live nodes, the remainder to the first nodes by id); a node keeps
/// the shards it holds up to its quota, releases the rest (highest shard numbers first), and claims free shards (never
/// held, released, or with a lease that ran out) up to its quota (lowest first). Since the heartbeats are serialised by
/// the table's row locks, two nodes never claim the same shard, and only shards that must move do move: when a node
/// dies only its shards change hands; when a node joins, each other node gives up only its excess.
/// </summary>
public static class ShardPlanner
{
    /// <summary>The quota of <paramref name="node"/> among <paramref name="liveNodes"/> (which include it).</summary>
    public static int Quota(string node, IEnumerable<string> liveNodes, int shards)
    {
        var live = Order(liveNodes, node);
        var index = live.IndexOf(node);
        return (shards / live.Count) + (index < shards % live.Count ? 1 : 0);
    }

    public static ShardPlan Plan(IReadOnlyList<ShardLease> table, IEnumerable<string> liveNodes, string self, DateTimeOffset now) =>
        Plan(table, liveNodes, liveNodes.Append(self), self, now);

    /// <summary>
    /// As above, with the live nodes whose prober is healthy (their canary answers): the shards are shared among those;
    /// a node that is not among them (cut off from the sites, but not from the database) releases all its shards and
    /// claims none. When no live node is healthy (the canary itself is down), they are shared among all live nodes.
    /// </summary>
    public static ShardPlan Plan(IReadOnlyList<ShardLease> table, IEnumerable<string> liveNodes, IEnumerable<string> healthyNodes, string self, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(table);
        var healthy = healthyNodes.ToList();
        var candidates = healthy.Count > 0 ? healthy : liveNodes.Append(self).ToList();
        var quota = candidates.Contains(self, StringComparer.Ordinal) ? Quota(self, candidates, table.Count) : 0;
        var mine = table.Where(s => s.Owner == self && s.IsHeldAt(now)).Select(s => s.Shard).Order().ToList();
        if (mine.Count > quota)
        {
            return new ShardPlan(mine.Take(quota).ToList(), mine.Skip(quota).ToList(), []);
        }

        // A shard whose lease ran out is free even if this node was its holder: it is claimed again under a new epoch,
        // so a write fenced with the old epoch (from before the lapse) is refused.
        var claim = table.Where(s => !s.IsHeldAt(now)).Select(s => s.Shard).Order().Take(quota - mine.Count).ToList();
        return new ShardPlan(mine, [], claim);
    }

    private static List<string> Order(IEnumerable<string> liveNodes, string self) =>
        liveNodes.Append(self).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
