using GatewayAgent.Controller.Storage;
using GatewayAgent.Controller.Tests.Storage;
using StoredStatus = GatewayAgent.Controller.Storage.OutboxStatus;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>
/// Several controllers draining one outbox (issue 4: "never sends twice, also across restarts"; FN-4, FN-5, FN-8):
/// claims with a lease on a real SQLite file and a real PostgreSQL database, a real SMTP server on loopback counting
/// what arrives, and a fake clock for the lease expiry and the alert limit.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public class OutboxLeaseTests(PostgresCluster cluster)
{
    private static readonly (string? ClaimedBy, DateTimeOffset? LeaseUntil, string Status) Delivered = (null, null, StoredStatus.Delivered);

    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Two_dispatchers_on_one_database_deliver_each_mail_exactly_once(string backend)
    {
        await using var relay = await TestSmtpServer.StartAsync();
        var mail = new Dictionary<string, string?> { ["Controller:Mail:BatchSize"] = "4" };
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", relay.Port, mail);
        await using var b = await OutboxNode.JoinAsync(a, cluster, "node-b", relay.Port, mail);
        const int Count = 24;
        var recipients = Enumerable.Range(0, Count).Select(i => $"user{i}@example.jp").ToList();
        var ids = new List<long>();
        foreach (var recipient in recipients)
        {
            ids.Add(await a.EnqueueAsync(recipient));
        }

        // Both nodes are mid-send at the same moment (each holds a batch it claimed) before the relay answers anything.
        relay.Hold();
        var drainA = Task.Run(a.DrainAsync);
        var drainB = Task.Run(b.DrainAsync);
        await relay.WaitHeldAsync(2);
        relay.ReleaseHeld();
        var claimed = await Task.WhenAll(drainA, drainB);

        Assert.All(claimed, n => Assert.True(n > 0, "each node claimed and sent some of the mails"));
        Assert.Equal(Count, claimed.Sum());
        Assert.Equal(Count, relay.Received.Count);
        Assert.Equal(Count, relay.Received.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(recipients.Order(), relay.Received.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.Equal(Count, a.Logs.WithEventId(6402).Count + b.Logs.WithEventId(6402).Count);
        Assert.Equal(claimed[0], a.Logs.WithEventId(6402).Count);
        foreach (var id in ids)
        {
            Assert.Equal(Delivered, await ClaimOf(a, id));
        }

        Assert.DoesNotContain(a.Logs.Records, e => e.Id.Id is 6410 or 6411 or 6412);
        Assert.DoesNotContain(b.Logs.Records, e => e.Id.Id is 6410 or 6411 or 6412);
        Assert.Equal(0, await a.Store.CountPendingAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_claim_left_by_a_dead_node_is_taken_over_only_after_its_lease_runs_out(string backend)
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", relay.Port);
        var lease = a.Mail.LeaseDuration;
        Assert.Equal(TimeSpan.FromSeconds(30), lease);
        var id = await a.EnqueueAsync("holder@example.jp");
        var claimedAt = a.Time.GetUtcNow();

        // node-dead claims the mail and is killed (kill -9) before it sends or marks anything.
        var taken = await a.Store.ClaimDueAsync("node-dead", claimedAt, claimedAt + lease, 10, CancellationToken.None);
        Assert.Equal([id], taken.Select(m => m.Id));
        Assert.Equal(("node-dead", claimedAt + lease, StoredStatus.Pending), await ClaimOf(a, id));

        // While the lease runs, node-a neither sends it nor may record an attempt on it.
        Assert.Equal(0, await a.Dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.False((await a.Store.MarkAttemptFailedAsync(id, "node-a", claimedAt, "not mine", claimedAt, alertDue: false, CancellationToken.None)).Recorded);
        Assert.False(await a.Store.RenewLeaseAsync(id, "node-a", claimedAt + lease, CancellationToken.None));
        a.Time.Advance(lease - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await a.Dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Empty(relay.Received);

        // The lease has run out: node-a takes the mail over and delivers it once.
        a.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await a.Dispatcher.DispatchDueAsync(CancellationToken.None));
        var delivered = Assert.Single(relay.Received);
        Assert.Equal($"outbox-{id}.20260401090000@controller.example.jp", delivered.MessageId);
        Assert.Equal(Delivered, await ClaimOf(a, id));
        Assert.Contains("node=node-a", Assert.Single(a.Logs.WithEventId(6402)).Message, StringComparison.Ordinal);

        // The dead node's late writes change nothing.
        var now = a.Time.GetUtcNow();
        Assert.False(await a.Store.RenewLeaseAsync(id, "node-dead", now + lease, CancellationToken.None));
        Assert.False((await a.Store.MarkAttemptFailedAsync(id, "node-dead", now, "late", now, alertDue: true, CancellationToken.None)).Recorded);
        Assert.False((await a.Store.MarkDeliveredAsync(id, "node-dead", now, "250 late", CancellationToken.None)).Recorded);
        var entry = await a.Store.GetDueAsync(now.AddDays(1), 10, CancellationToken.None);
        Assert.Empty(entry);
        Assert.Equal(0, await a.DrainAsync());
        Assert.Single(relay.Received);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_node_restarted_under_the_same_id_frees_the_claims_of_its_killed_process_at_once(string backend)
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", relay.Port);
        var id = await a.EnqueueAsync("holder@example.jp");
        var now = a.Time.GetUtcNow();

        // The process claimed the mail and was killed; the new process (same node id) starts on the same clock reading.
        await a.Store.ClaimDueAsync("node-a", now, now + a.Mail.LeaseDuration, 10, CancellationToken.None);
        await a.RestartAsync();
        var dispatcher = a.Dispatcher;
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            await relay.WaitReceivedAsync(1);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }

        Assert.Equal(now, a.Time.GetUtcNow());
        Assert.Single(relay.Received);
        Assert.Equal(Delivered, await ClaimOf(a, id));
        Assert.Contains("when=start", Assert.Single(a.Logs.WithEventId(6413)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_live_dispatcher_keeps_its_claim_through_a_send_longer_than_the_lease(string backend)
    {
        await using var relay = await TestSmtpServer.StartAsync();
        var clock = new WaiterAwareClock(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", relay.Port, time: clock);
        await using var b = await OutboxNode.JoinAsync(a, cluster, "node-b", relay.Port);
        var lease = a.Mail.LeaseDuration;
        var id = await a.EnqueueAsync("holder@example.jp");

        // The relay takes a long time over node-a's DATA; node-a's heartbeat renews the claim every third of the lease.
        relay.Hold();
        var sending = Task.Run(a.DrainAsync);
        await relay.WaitHeldAsync(1);
        for (var step = 1; step <= 6; step++)
        {
            // The heartbeat's only timer on the clock: its wait for the next renewal (one per step) is in place.
            await clock.WaitForTimersAsync(step, TimeSpan.FromSeconds(10));
            a.Time.Advance(lease / 3);
            await a.Logs.WaitForEventAsync(6415, step, TimeSpan.FromSeconds(10)); // the heartbeat has written its renewal
            Assert.True((await ClaimOf(a, id)).LeaseUntil > a.Time.GetUtcNow() + lease / 3, $"the claim was renewed at step {step}");
            Assert.Equal(0, await b.Dispatcher.DispatchDueAsync(CancellationToken.None));
        }

        relay.ReleaseHeld();
        Assert.Equal(1, await sending);
        Assert.Single(relay.Received);
        Assert.Equal(Delivered, await ClaimOf(a, id));
        Assert.Equal(0, await b.DrainAsync());
        Assert.Single(relay.Received);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_dispatcher_whose_claims_were_taken_over_records_the_delivery_it_made_and_sends_nothing_more(string backend)
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", relay.Port);
        var first = await a.EnqueueAsync("first@example.jp");
        var second = await a.EnqueueAsync("second@example.jp");

        // node-a is mid-send of the first mail of its batch when node-b takes both claims over (as after node-a
        // stalled past its lease).
        relay.Hold();
        var sending = Task.Run(a.DrainAsync);
        await relay.WaitHeldAsync(1);
        var until = a.Time.GetUtcNow() + a.Mail.LeaseDuration;
        await a.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, "UPDATE outbox SET claimed_by = 'node-b', lease_until = @until");
                command.AddParameter("@until", until);
                return await command.ExecuteNonQueryAsync();
            },
            CancellationToken.None);
        relay.ReleaseHeld();
        await sending;

        // The first mail was accepted: recorded as delivered (so node-b will not send it), with a warning. The second is
        // left to node-b unsent.
        Assert.Equal("first@example.jp", Assert.Single(relay.Received).To.Mailboxes.Single().Address);
        Assert.Equal(Delivered, await ClaimOf(a, first));
        Assert.Contains($"id={first}", Assert.Single(a.Logs.WithEventId(6411)).Message, StringComparison.Ordinal);
        Assert.Contains($"id={second}", Assert.Single(a.Logs.WithEventId(6410)).Message, StringComparison.Ordinal);
        Assert.Equal(("node-b", until, StoredStatus.Pending), await ClaimOf(a, second));
        Assert.Equal(0, (await a.RowAsync(second)).Attempts);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_undelivered_alert_is_logged_once_across_a_restart_and_by_no_other_node(string backend)
    {
        await using var relay = await TestSmtpServer.StartAsync();
        relay.Refusing = true;
        var mail = new Dictionary<string, string?>
        {
            ["Controller:Mail:UndeliveredAlertAfter"] = "00:01:00",
            ["Controller:Mail:InitialRetryDelay"] = "00:00:30",
            ["Controller:Mail:MaxRetryDelay"] = "00:00:30",
        };
        await using var a = await OutboxNode.CreateAsync(backend, cluster, "node-a", relay.Port, mail);
        await using var b = await OutboxNode.JoinAsync(a, cluster, "node-b", relay.Port, mail);
        var id = await a.EnqueueAsync("holder@example.jp");
        var created = a.Time.GetUtcNow();

        // Attempts at 0 s and 30 s fail below the limit; the one at 60 s raises the alert and records it.
        await a.DrainAsync();
        a.Time.Advance(TimeSpan.FromSeconds(30));
        await a.DrainAsync();
        Assert.Empty(a.Logs.WithEventId(6404));
        a.Time.Advance(TimeSpan.FromSeconds(30));
        await a.DrainAsync();
        Assert.Contains("recipient=holder@example.jp", Assert.Single(a.Logs.WithEventId(6404)).Message, StringComparison.Ordinal);
        Assert.Equal(created + TimeSpan.FromMinutes(1), (await a.RowAsync(id)).AlertedAt);

        // A new process of node-a, and then node-b, fail again: no second alert.
        await a.RestartAsync();
        a.Time.Advance(TimeSpan.FromSeconds(30));
        await a.DrainAsync();
        Assert.Single(a.Logs.WithEventId(6403));
        Assert.Empty(a.Logs.WithEventId(6404));
        a.Time.Advance(TimeSpan.FromSeconds(30));
        await b.DrainAsync();
        Assert.Single(b.Logs.WithEventId(6403));
        Assert.Empty(b.Logs.WithEventId(6404));
        Assert.Equal(created + TimeSpan.FromMinutes(1), (await a.RowAsync(id)).AlertedAt);

        // Delivery afterwards, by the restarted process, is logged as delivered after the alert.
        relay.Refusing = false;
        a.Time.Advance(TimeSpan.FromSeconds(30));
        await a.DrainAsync();
        Assert.Single(relay.Received);
        Assert.Single(a.Logs.WithEventId(6407));
        Assert.Empty(a.Logs.WithEventId(6404));
    }

    private static async Task<(string? ClaimedBy, DateTimeOffset? LeaseUntil, string Status)> ClaimOf(OutboxNode node, long id)
    {
        var row = await node.RowAsync(id);
        return (row.ClaimedBy, row.LeaseUntil, row.Status);
    }
}
