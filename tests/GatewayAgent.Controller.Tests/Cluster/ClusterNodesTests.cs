using GatewayAgent.Controller.Cluster;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>
/// Several controller nodes on one real PostgreSQL database (docs/scale-out.md), in-process, on a fake clock: ownership,
/// takeover of a killed node with the detector's counters continued, the fence that stops a node whose lease ended, and
/// dying-gasp triggers relayed to the owner node.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class ClusterNodesTests(PostgresCluster cluster)
{
    private static async Task<List<long>> CreateContractsAsync(ClusterNode node, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await node.Harness.Contracts.CreateAsync(ContractSamples.Monitored(prefix: $"03{100 + i}"), CancellationToken.None)).Id);
        }

        return ids;
    }

    private static Task<bool> MissAsync(ClusterNode node, long contractId) =>
        node.Harness.Recorder.RecordAsync(new ProbeRecord(contractId, ProbeOutcome.Missed, null, "timeout", node.Harness.Time.GetUtcNow(), null), CancellationToken.None);

    private static async Task<int> DetectorMissesAsync(ClusterNode node, long contractId) =>
        (await node.Harness.Contracts.GetAsync(contractId, CancellationToken.None))!.Detector.Misses;

    private static async Task<int> ProbeRecordsAsync(ClusterNode node, long contractId) =>
        (await node.Harness.Services.GetRequiredService<DetectionHistory>().GetProbesAsync(contractId, 1000, CancellationToken.None)).Count;

    [PostgresFact]
    public async Task Three_nodes_split_the_contracts_each_owned_by_exactly_one_live_node()
    {
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 16);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 16);
        await using var c = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-c", a, shards: 16);
        var contracts = await CreateContractsAsync(a, 40);

        foreach (var node in new[] { a, b, c, a, b, c })
        {
            await node.HeartbeatAsync();
        }

        var owned = new[] { await a.TargetIdsAsync(), await b.TargetIdsAsync(), await c.TargetIdsAsync() };
        Assert.Equal(contracts.Order(), owned.SelectMany(o => o).Order()); // FN-3 by exactly one node: none twice, none left out
        Assert.Equal([6, 5, 5], new[] { a, b, c }.Select(n => n.Membership.OwnedShards().Count));
        Assert.All(owned, o => Assert.NotEmpty(o));
        foreach (var id in contracts)
        {
            Assert.Equal(1, new[] { a, b, c }.Count(n => n.Membership.Owns(id)));
        }

        var table = await a.Harness.Services.GetRequiredService<ShardTable>().ReadAsync(CancellationToken.None);
        Assert.All(table, s => Assert.Contains(s.Owner, new[] { "node-a", "node-b", "node-c" }));
    }

    [PostgresFact]
    public async Task A_node_killed_during_a_failure_in_progress_is_relieved_and_exactly_one_failure_mail_goes_out()
    {
        var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 8);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8);
        var contracts = await CreateContractsAsync(a, 8);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        a.Harness.Time.Advance(ClusterNode.Beat);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        var contract = contracts.First(a.Membership.Owns);
        Assert.False(b.Membership.Owns(contract));

        // FN-4 in progress on a: two misses of four.
        await MissAsync(a, contract);
        await MissAsync(a, contract);
        Assert.Equal(2, await DetectorMissesAsync(a, contract));

        // a is killed: no clean stop, its leases stay in the table until they end.
        var killedAt = a.Harness.Time.GetUtcNow();
        await a.DisposeAsync();
        b.Harness.Time.Advance(ClusterNode.Lease - TimeSpan.FromMilliseconds(1));
        await b.HeartbeatAsync();
        Assert.False(b.Membership.Owns(contract)); // a's lease has not ended yet
        b.Harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var takeover = await b.HeartbeatAsync();

        Assert.Equal(killedAt + ClusterNode.Lease, b.Harness.Time.GetUtcNow());
        Assert.True(b.Membership.Owns(contract));
        Assert.Equal(8, b.Membership.OwnedShards().Count);
        Assert.NotEmpty(takeover!.Plan.Claim);
        Assert.Contains(contract, await b.TargetIdsAsync());

        // b continues the count: the third miss is the third, the fourth declares the failure.
        await MissAsync(b, contract);
        Assert.Equal(3, await DetectorMissesAsync(b, contract));
        Assert.True(await MissAsync(b, contract));
        await MissAsync(b, contract);

        var transitions = await b.Harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract, 10, CancellationToken.None);
        Assert.Equal([DetectorStates.Failed], transitions.Select(t => t.To));
        var mails = await b.Harness.Outbox.GetDueAsync(b.Harness.Time.GetUtcNow(), 100, CancellationToken.None);
        Assert.Equal(["boss@example.jp", "ops@example.jp"], mails.Select(m => m.Recipient).Order(StringComparer.Ordinal)); // one per checked recipient
        Assert.All(mails, m => Assert.Equal(MailKind.Failure, m.Kind));
        Assert.Equal(5, await ProbeRecordsAsync(b, contract));
    }

    [PostgresFact]
    public async Task A_node_whose_lease_ended_cannot_commit_outcomes()
    {
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 4);
        var contract = (await CreateContractsAsync(a, 1))[0];
        await a.HeartbeatAsync();
        await MissAsync(a, contract);
        Assert.Equal(1, await DetectorMissesAsync(a, contract));

        // No heartbeat got through for a whole lease time (the database was unreachable): the lease has ended.
        a.Harness.Time.Advance(ClusterNode.Lease);
        Assert.True(await MissAsync(a, contract)); // "settled": the prober stops fast probing a contract it no longer holds

        Assert.Equal(1, await DetectorMissesAsync(a, contract));
        Assert.Equal(1, await ProbeRecordsAsync(a, contract));
        Assert.Equal(1, a.Metrics.FencedTotal);
        Assert.Empty(await a.TargetIdsAsync());
    }

    [PostgresFact]
    public async Task A_node_that_still_believes_in_its_lease_is_refused_at_commit_once_another_node_took_the_shard()
    {
        // a's clock runs 2 s behind b's: a still trusts its lease when b, by its own clock, finds it ended and claims it.
        var bClock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var aClock = new FakeTimeProvider(bClock.GetUtcNow() - TimeSpan.FromSeconds(2));
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", time: aClock, shards: 4);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, time: bClock, shards: 4);
        var contract = (await CreateContractsAsync(a, 1))[0];
        await a.HeartbeatAsync(); // a holds every shard until aClock + 20 s
        await b.HeartbeatAsync();
        await MissAsync(a, contract);

        aClock.Advance(ClusterNode.Lease - TimeSpan.FromSeconds(1)); // a: 1 s of lease left
        bClock.Advance(ClusterNode.Lease - TimeSpan.FromSeconds(1)); // b: a's lease ended 1 s ago
        await b.HeartbeatAsync();
        Assert.True(b.Membership.Owns(contract));
        Assert.True(a.Membership.Owns(contract)); // a does not know yet

        Assert.True(await MissAsync(a, contract));
        Assert.Equal(1, await DetectorMissesAsync(a, contract));
        Assert.Equal(1, a.Metrics.FencedTotal);

        await MissAsync(b, contract); // the new owner's outcome counts, after a's
        Assert.Equal(2, await DetectorMissesAsync(b, contract));
    }

    [PostgresFact]
    public async Task A_node_that_reaches_the_database_but_not_the_sites_hands_its_contracts_to_a_node_that_does()
    {
        var health = new FakeProberHealth();
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 8, health: health);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8);
        var contracts = await CreateContractsAsync(a, 8);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        a.Harness.Time.Advance(ClusterNode.Beat);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        Assert.Equal(4, a.Membership.OwnedShards().Count);

        // a's canary starts failing: a keeps its shards (its misses are ProberDegraded, it mails nobody) for 30 s.
        health.CanaryDownSince = a.Harness.Time.GetUtcNow();
        foreach (var step in new[] { 15, 14 })
        {
            a.Harness.Time.Advance(TimeSpan.FromSeconds(step));
            await a.HeartbeatAsync();
            await b.HeartbeatAsync();
        }

        Assert.Equal(4, a.Membership.OwnedShards().Count);

        // After 30 s it gives them up, and b takes them at its next heartbeat.
        a.Harness.Time.Advance(TimeSpan.FromSeconds(1));
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        Assert.Empty(a.Membership.OwnedShards());
        Assert.Empty(await a.TargetIdsAsync());
        Assert.Equal(contracts, await b.TargetIdsAsync());

        // The canary answers again: a takes its share back.
        health.CanaryDownSince = null;
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        await a.HeartbeatAsync();
        Assert.Equal(4, a.Membership.OwnedShards().Count);
        Assert.Equal(4, b.Membership.OwnedShards().Count);
    }

    [PostgresFact]
    public async Task The_cluster_view_shows_live_and_dead_nodes_and_the_shards_nobody_holds()
    {
        var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 8);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        a.Harness.Time.Advance(ClusterNode.Beat);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        await a.DisposeAsync(); // killed
        b.Harness.Time.Advance(ClusterNode.Lease);

        var view = await ClusterEndpoints.ReadAsync(b.Membership, b.Harness.Services.GetRequiredService<ShardTable>(), b.Harness.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal((true, "node-b", 8, 8), (view.Clustered, view.ServedBy, view.Shards, view.Unowned)); // both leases ended, no takeover yet
        Assert.Equal([("node-a", false, 0), ("node-b", false, 0)], view.Nodes.Select(n => (n.NodeId, n.Live, n.Shards)));

        await b.HeartbeatAsync();
        view = await ClusterEndpoints.ReadAsync(b.Membership, b.Harness.Services.GetRequiredService<ShardTable>(), b.Harness.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(0, view.Unowned);
        Assert.Equal([("node-a", false, 0), ("node-b", true, 8)], view.Nodes.Select(n => (n.NodeId, n.Live, n.Shards)));
    }

    [PostgresFact]
    public async Task A_node_that_stops_cleanly_hands_its_shards_over_at_the_next_heartbeat()
    {
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 8);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        a.Harness.Time.Advance(ClusterNode.Beat);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        Assert.Equal(4, b.Membership.OwnedShards().Count);

        await a.LeaveAsync();
        await b.HeartbeatAsync(); // the same instant: no lease to wait for

        Assert.Empty(a.Membership.OwnedShards());
        Assert.Equal(8, b.Membership.OwnedShards().Count);
    }

    [PostgresFact]
    public async Task The_heartbeat_loop_wakes_when_the_killed_node_s_leases_end_and_takes_them_over()
    {
        var clock = new WaiterAwareClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", time: clock, shards: 8);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8);
        await a.HeartbeatAsync(); // a holds every shard until t0 + 20 s
        var killedAt = clock.GetUtcNow();
        await a.DisposeAsync(); // killed
        clock.Advance(TimeSpan.FromSeconds(2));
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Membership.Changed += () =>
        {
            if (b.Membership.OwnedShards().Count == 8)
            {
                full.TrySetResult();
            }
        };

        var timers = clock.TimersCreated;
        await b.Membership.StartAsync(CancellationToken.None); // joins, beats at t0 + 2 s, then sleeps on the fake clock
        try
        {
            await clock.WaitForTimersAsync(timers + 1, TimeSpan.FromSeconds(30));
            foreach (var beat in new[] { 7, 12, 17 })
            {
                // Its heartbeats at t0 + 7, 12 and 17 s find a's leases still running.
                timers = clock.TimersCreated;
                clock.Advance(ClusterNode.Beat);
                await clock.WaitForTimersAsync(timers + 1, TimeSpan.FromSeconds(30));
                Assert.Empty(b.Membership.OwnedShards());
                Assert.Equal(killedAt + TimeSpan.FromSeconds(beat), clock.GetUtcNow());
            }

            // The next wake is a's lease end (t0 + 20 s), not b's next heartbeat (t0 + 22 s).
            clock.Advance(TimeSpan.FromSeconds(3) + TimeSpan.FromMilliseconds(1));
            await full.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(8, b.Membership.OwnedShards().Count);
        }
        finally
        {
            await b.Membership.StopAsync(CancellationToken.None);
        }
    }

    [PostgresFact]
    public async Task While_the_database_is_unreachable_the_heartbeat_loop_retries_once_per_heartbeat_also_past_another_node_s_lease_end()
    {
        // b reaches the database through a relay; a's leases (until t0 + 20 s) are what b's loop would wake early for.
        var clock = new WaiterAwareClock(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", time: clock, shards: 8);
        await a.HeartbeatAsync();
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(a.Harness.DatabaseSettings["ConnectionStrings:Controller"]);
        var relay = new Ingest.TcpRelay(direct.Port);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8,
            connection: c => new Npgsql.NpgsqlConnectionStringBuilder(c) { Port = relay.Port, Pooling = false }.ConnectionString);

        var timers = clock.TimersCreated;
        await b.Membership.StartAsync(CancellationToken.None); // joins and beats at t0 through the relay, then sleeps
        try
        {
            await clock.WaitForTimersAsync(timers + 1, TimeSpan.FromSeconds(30));
            await relay.DisposeAsync(); // the database is unreachable from b from now on

            // Wakes at t0 + 5, 10, 15, 20 and 25 s: one failed heartbeat each, then asleep on the clock again. Past a's
            // lease end (t0 + 20 s) the early wake for it must not become an immediate retry, again and again.
            for (var beat = 1; beat <= 5; beat++)
            {
                timers = clock.TimersCreated;
                clock.Advance(ClusterNode.Beat);
                await clock.WaitForTimersAsync(timers + 1, TimeSpan.FromSeconds(30));
                Assert.Equal(beat, b.Metrics.HeartbeatFailuresTotal);
            }

            Assert.Empty(b.Membership.OwnedShards());
        }
        finally
        {
            await b.Membership.StopAsync(CancellationToken.None);
        }
    }

    [PostgresFact]
    public async Task A_dying_gasp_received_by_one_node_starts_fast_probing_on_the_owner()
    {
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 8);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 8);
        var contracts = await CreateContractsAsync(a, 8);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        a.Harness.Time.Advance(ClusterNode.Beat);
        await a.HeartbeatAsync();
        await b.HeartbeatAsync();
        await b.Relay.PumpAsync(CancellationToken.None); // b's first poll
        var onB = contracts.First(b.Membership.Owns);
        var onA = contracts.First(a.Membership.Owns);

        a.Relay.Trigger(onB, "power.lost"); // a's ingest got the gasp of a site b owns
        a.Relay.Trigger(onA, "wan.down");
        Assert.Equal((onA, "wan.down"), await a.Scheduler.NextAsync(TimeSpan.FromSeconds(5))); // its own: at once
        Assert.False(a.Scheduler.TryTake(out _));

        await a.Relay.PumpAsync(CancellationToken.None); // written
        a.Harness.Time.Advance(TimeSpan.FromSeconds(1));
        await b.Relay.PumpAsync(CancellationToken.None); // read by the owner

        Assert.Equal((onB, "power.lost"), await b.Scheduler.NextAsync(TimeSpan.FromSeconds(5)));
        Assert.False(b.Scheduler.TryTake(out _)); // not a's own contract, and nothing twice
        await b.Relay.PumpAsync(CancellationToken.None);
        Assert.False(b.Scheduler.TryTake(out _));
        Assert.Equal(1, b.Metrics.TriggersReceivedTotal);
    }

    [PostgresFact]
    public async Task The_node_taking_over_a_killed_node_s_shard_goes_on_with_its_fast_probing()
    {
        var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 4);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 4);
        var contract = (await CreateContractsAsync(a, 1))[0];
        await a.HeartbeatAsync(); // a holds every shard
        await b.HeartbeatAsync();
        await b.Relay.PumpAsync(CancellationToken.None);

        a.Relay.Trigger(contract, "power.lost");
        Assert.Equal((contract, "power.lost"), await a.Scheduler.NextAsync(TimeSpan.FromSeconds(5)));
        await a.Relay.PumpAsync(CancellationToken.None);
        await a.DisposeAsync(); // killed in the fast phase

        b.Harness.Time.Advance(ClusterNode.Lease);
        await b.HeartbeatAsync();
        Assert.True(b.Membership.Owns(contract));
        await b.Relay.PumpAsync(CancellationToken.None);

        Assert.Equal((contract, "power.lost"), await b.Scheduler.NextAsync(TimeSpan.FromSeconds(5)));
    }

    [PostgresFact]
    public async Task A_node_configured_with_another_shard_count_refuses_to_join()
    {
        await using var a = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-a", shards: 8);
        await using var b = await ClusterNode.StartAsync(Backends.Postgres, cluster, "node-b", a, shards: 16);
        await a.HeartbeatAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => b.Membership.JoinAsync(CancellationToken.None));

        Assert.Contains("Controller:Cluster:Shards is 16 but the database has 8 shards", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_SQLite_the_one_node_owns_every_contract_and_handles_its_triggers_itself()
    {
        await using var node = await ClusterNode.StartAsync(Backends.Sqlite, cluster, "single");
        var contracts = await CreateContractsAsync(node, 3);

        Assert.False(node.Membership.Clustered);
        Assert.Null(await node.HeartbeatAsync());
        Assert.Equal(contracts, await node.TargetIdsAsync());
        Assert.All(contracts, id => Assert.True(node.Membership.Owns(id)));
        await MissAsync(node, contracts[0]);
        Assert.Equal(1, await DetectorMissesAsync(node, contracts[0]));

        node.Relay.Trigger(contracts[1], "power.lost");
        Assert.Equal((contracts[1], "power.lost"), await node.Scheduler.NextAsync(TimeSpan.FromSeconds(5)));
    }
}
