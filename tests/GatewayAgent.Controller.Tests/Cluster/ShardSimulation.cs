using GatewayAgent.Controller.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>
/// The shard table and the nodes' heartbeats in memory, on a fake clock: each heartbeat applies
/// <see cref="ShardPlanner"/> to the table (as <see cref="ShardTable"/> does inside its transaction) and gives the node
/// the leases it holds afterwards, which it trusts until they end (as <see cref="ClusterMembership"/> does).
/// </summary>
internal sealed class ShardSimulation(int shards, TimeSpan lease)
{
    private readonly Dictionary<string, DateTimeOffset> _heartbeats = [];
    private readonly Dictionary<string, bool> _healthy = [];
    private readonly Dictionary<string, Dictionary<int, ShardLease>> _views = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public ShardLease[] Table { get; } = Enumerable.Range(0, shards).Select(s => new ShardLease(s, null, 0, DateTimeOffset.MinValue)).ToArray();

    /// <param name="healthy">Whether the node's canary answers (it reaches the sites).</param>
    public ShardPlan Heartbeat(string node, bool healthy = true)
    {
        var now = Time.GetUtcNow();
        _heartbeats[node] = now;
        _healthy[node] = healthy;
        var live = _heartbeats.Where(h => h.Value > now - lease).Select(h => h.Key).ToList();
        var plan = ShardPlanner.Plan(Table, live, live.Where(n => _healthy[n]).ToList(), node, now);
        var view = new Dictionary<int, ShardLease>();
        foreach (var s in plan.Renew)
        {
            Table[s] = Table[s] with { LeaseUntil = now + lease };
            view[s] = Table[s];
        }

        foreach (var s in plan.Release)
        {
            Table[s] = Table[s] with { Owner = null, LeaseUntil = DateTimeOffset.MinValue };
        }

        foreach (var s in plan.Claim)
        {
            Table[s] = new ShardLease(s, node, Table[s].Epoch + 1, now + lease);
            view[s] = Table[s];
        }

        _views[node] = view;
        return plan;
    }

    /// <summary>The shards <paramref name="node"/> believes it holds now (its leases that have not ended).</summary>
    public IReadOnlyList<int> Believed(string node)
    {
        var now = Time.GetUtcNow();
        return _views.TryGetValue(node, out var view) ? view.Values.Where(l => l.IsHeldAt(now)).Select(l => l.Shard).Order().ToList() : [];
    }

    public Dictionary<string, int> Counts() =>
        Table.Where(s => s.IsHeldAt(Time.GetUtcNow())).GroupBy(s => s.Owner!).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>No shard is believed held by two nodes at once, and every belief matches the table (owner and epoch).</summary>
    public void AssertSingleOwners(IEnumerable<string> nodes)
    {
        var now = Time.GetUtcNow();
        var believers = new Dictionary<int, string>();
        foreach (var node in nodes)
        {
            foreach (var lease in _views.GetValueOrDefault(node, []).Values.Where(l => l.IsHeldAt(now)))
            {
                Assert.True(believers.TryAdd(lease.Shard, node), $"shard {lease.Shard} believed held by {believers.GetValueOrDefault(lease.Shard)} and {node}");
                Assert.Equal((node, lease.Epoch), (Table[lease.Shard].Owner, Table[lease.Shard].Epoch));
            }
        }
    }
}
