using GatewayAgent.Controller.Cluster;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>Shard assignment and rebalancing (docs/scale-out.md) on an in-memory table and a fake clock.</summary>
[Trait("Ring", "unit")]
public sealed class ShardPlannerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_single_node_claims_every_shard_in_its_first_heartbeat()
    {
        var sim = new ShardSimulation(256, Lease);

        var plan = sim.Heartbeat("a");

        Assert.Equal(Enumerable.Range(0, 256), plan.Claim);
        Assert.Equal(256, sim.Believed("a").Count);
        Assert.All(sim.Table, s => Assert.Equal(("a", 1L), (s.Owner, s.Epoch)));
    }

    [Theory]
    [InlineData(256, 1)]
    [InlineData(256, 3)]
    [InlineData(256, 7)]
    [InlineData(5, 8)]
    public void Quotas_cover_every_shard_and_differ_by_at_most_one(int shards, int nodes)
    {
        var names = Enumerable.Range(0, nodes).Select(i => $"node-{i}").ToList();

        var quotas = names.Select(n => ShardPlanner.Quota(n, names, shards)).ToList();

        Assert.Equal(shards, quotas.Sum());
        Assert.True(quotas.Max() - quotas.Min() <= 1);
    }

    [Fact]
    public void Three_nodes_starting_together_converge_to_an_even_split_with_one_owner_per_shard()
    {
        var sim = new ShardSimulation(256, Lease);
        string[] nodes = ["a", "b", "c"];

        // All three start: each heartbeat sees the others once they have written theirs.
        for (var round = 0; round < 3; round++)
        {
            foreach (var node in nodes)
            {
                sim.Heartbeat(node);
                sim.AssertSingleOwners(nodes);
            }

            sim.Time.Advance(Beat);
        }

        Assert.Equal(new Dictionary<string, int> { ["a"] = 86, ["b"] = 85, ["c"] = 85 }, sim.Counts());
        Assert.Equal(256, nodes.Sum(n => sim.Believed(n).Count));
        sim.AssertSingleOwners(nodes);
    }

    [Fact]
    public void A_killed_node_s_shards_move_to_the_others_when_its_leases_end_and_nothing_else_moves()
    {
        var sim = new ShardSimulation(256, Lease);
        string[] nodes = ["a", "b", "c"];
        for (var round = 0; round < 3; round++)
        {
            foreach (var node in nodes)
            {
                sim.Heartbeat(node);
            }

            sim.Time.Advance(Beat);
        }

        var before = sim.Table.ToArray();
        var killedAt = sim.Time.GetUtcNow();
        var cShards = sim.Believed("c");
        sim.Heartbeat("c"); // its last heartbeat: its leases end at killedAt + Lease

        // a and b beat every second; c is silent.
        var takenAt = (DateTimeOffset?)null;
        while (sim.Time.GetUtcNow() < killedAt + Lease + Beat)
        {
            sim.Time.Advance(TimeSpan.FromSeconds(1));
            sim.Heartbeat("a");
            sim.Heartbeat("b");
            sim.AssertSingleOwners(nodes);
            if (takenAt is null && sim.Table.All(s => s.Owner is "a" or "b"))
            {
                takenAt = sim.Time.GetUtcNow();
            }
        }

        Assert.Equal(killedAt + Lease, takenAt); // the first heartbeat at the end of c's leases takes them all
        Assert.Equal(new Dictionary<string, int> { ["a"] = 128, ["b"] = 128 }, sim.Counts());
        foreach (var shard in Enumerable.Range(0, 256))
        {
            if (cShards.Contains(shard))
            {
                Assert.Equal(before[shard].Epoch + 1, sim.Table[shard].Epoch); // claimed once, under a new epoch
            }
            else
            {
                Assert.Equal((before[shard].Owner, before[shard].Epoch), (sim.Table[shard].Owner, sim.Table[shard].Epoch)); // untouched
            }
        }
    }

    [Fact]
    public void A_joining_node_gets_its_share_within_two_heartbeats_and_only_the_excess_moves()
    {
        var sim = new ShardSimulation(256, Lease);
        string[] nodes = ["a", "b", "c"];
        foreach (var node in nodes)
        {
            sim.Heartbeat(node);
        }

        sim.Time.Advance(Beat);
        foreach (var node in nodes)
        {
            sim.Heartbeat(node);
        }

        var before = sim.Table.ToArray();

        string[] four = ["a", "b", "c", "d"];
        sim.Time.Advance(Beat);
        Assert.Empty(sim.Heartbeat("d").Claim); // nothing free yet
        foreach (var node in nodes)
        {
            sim.Heartbeat(node); // each gives up its excess over 64
            sim.AssertSingleOwners(four);
        }

        sim.Time.Advance(Beat);
        Assert.Equal(64, sim.Heartbeat("d").Claim.Count);
        sim.AssertSingleOwners(four);

        Assert.Equal(new Dictionary<string, int> { ["a"] = 64, ["b"] = 64, ["c"] = 64, ["d"] = 64 }, sim.Counts());
        Assert.Equal(64, Enumerable.Range(0, 256).Count(s => sim.Table[s].Owner != before[s].Owner));
    }

    [Fact]
    public void A_node_whose_own_lease_ran_out_claims_the_shard_again_under_a_new_epoch()
    {
        var sim = new ShardSimulation(4, Lease);
        sim.Heartbeat("a");
        sim.Time.Advance(Lease); // no heartbeat in time (the database was unreachable)

        Assert.Empty(sim.Believed("a"));
        var plan = sim.Heartbeat("a");

        Assert.Equal([0, 1, 2, 3], plan.Claim);
        Assert.All(sim.Table, s => Assert.Equal(2, s.Epoch));
    }

    [Fact]
    public void Contract_shards_are_the_id_modulo_the_count_and_even()
    {
        Assert.Equal(5, ContractShard.Of(261, 256));
        Assert.Equal(251, ContractShard.Of(-5, 256));
        var counts = Enumerable.Range(1, 25_600).GroupBy(id => ContractShard.Of(id, 256)).Select(g => g.Count()).ToList();
        Assert.Equal(256, counts.Count);
        Assert.All(counts, c => Assert.Equal(100, c));
    }

    [Fact]
    public void A_node_cut_off_from_the_sites_gives_its_shards_to_the_nodes_that_reach_them_and_takes_its_share_back_later()
    {
        var sim = new ShardSimulation(256, Lease);
        string[] nodes = ["a", "b", "c"];
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var node in nodes)
            {
                sim.Heartbeat(node);
            }

            sim.Time.Advance(Beat);
        }

        // c's canary has failed long enough: its heartbeat says so, and it releases everything at once.
        var plan = sim.Heartbeat("c", healthy: false);
        Assert.Equal(85, plan.Release.Count);
        Assert.Empty(sim.Believed("c"));
        sim.Heartbeat("a");
        sim.Heartbeat("b");
        sim.AssertSingleOwners(nodes);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 128, ["b"] = 128 }, sim.Counts());

        // Its canary answers again: the others give back their excess and c claims its share.
        sim.Time.Advance(Beat);
        sim.Heartbeat("c");
        sim.Heartbeat("a");
        sim.Heartbeat("b");
        sim.Time.Advance(Beat);
        sim.Heartbeat("c");
        sim.AssertSingleOwners(nodes);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 86, ["b"] = 85, ["c"] = 85 }, sim.Counts());
    }

    [Fact]
    public void When_every_node_s_canary_fails_nobody_yields()
    {
        var sim = new ShardSimulation(256, Lease);
        string[] nodes = ["a", "b"];
        foreach (var round in new[] { 0, 1, 2 })
        {
            foreach (var node in nodes)
            {
                sim.Heartbeat(node, healthy: round == 0);
            }

            sim.Time.Advance(Beat);
        }

        // The canary itself is down (not the nodes): the misses are ProberDegraded anyway, and the shards stay shared.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 128, ["b"] = 128 }, sim.Counts());
    }
}
