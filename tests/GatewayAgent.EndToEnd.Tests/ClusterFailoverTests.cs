using Xunit.Abstractions;
using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests;

/// <summary>
/// Several controller nodes with real processes (issue 14, docs/scale-out.md; FN-4, FN-5, FN-8 across nodes): the lab
/// with --nodes 2 — two gateway-controller processes on one real PostgreSQL (the lab's own cluster, initdb + pg_ctl),
/// mosquitto as the broker, kamailio as the edge reading PostgreSQL, real gateway-agent processes on simulated boards
/// answering the probes, a real SMTP relay in the test process — with a short lease so a takeover takes seconds.
/// </summary>
[Trait("Ring", "integration")]
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string FailureSubject = "着信異常検知のお知らせです";
    private const int FailureThreshold = 4;
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan YieldAfter = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gateway-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The bound from a WAN cut to the failure when the owner dies on the way: the four-miss bound (the cut falls just
    /// after a probe: four probes each up to one Interval plus its jitter apart, the last one's Timeout) plus the
    /// takeover (LeaseTime after the dead node's last heartbeat, then the contract's next phase, within one Interval).
    /// </summary>
    private static readonly TimeSpan FailureBound =
        (FailureThreshold * (LabHarness.Interval + TimeSpan.FromSeconds(1))) + LabHarness.Timeout + LeaseTime + LabHarness.Interval;

    /// <summary>
    /// What a busy two-core machine adds to the bound: each miss waits for a canary call before it is recorded, and the
    /// processes share two cores with other work (18.7 s measured at a load average of ~26, bound 18.5 s).
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task A_node_killed_during_a_failure_in_progress_leaves_exactly_one_failure_mail_within_the_bound_plus_the_takeover()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var lab = await StartAsync(relay.Port, sites: 2, yieldAfter: TimeSpan.Zero);
        var (site, id) = lab.Sites[0];
        await WaitForBalancedAsync(lab);
        await WaitForReachedAsync(lab, id);
        var owner = await WaitForOwnerAsync(lab, id, o => o.StartsWith("node", StringComparison.Ordinal) && !o.Contains(' ', StringComparison.Ordinal), "an owner");
        var ownerNode = int.Parse(owner["node".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var survivor = LabRunner.NodeId(3 - ownerNode);

        var cut = DateTimeOffset.UtcNow;
        await lab.ExecuteAsync(new LabCommand("wan", site.Index, On: false), new CancellationTokenSource());
        // A miss counted by the owner, then kill -9: the failure is in progress on the node that dies.
        var before = await WaitForStatusAsync(lab, id, s => s.Detector.Misses >= 1 || Is(s, "failed"), "a miss on the owner");
        Assert.False(Is(before, "failed"), "the owner must still be counting when it is killed");
        await lab.KillNodeAsync(ownerNode);
        var killed = DateTimeOffset.UtcNow;

        var failed = await WaitForStatusAsync(lab, id, s => Is(s, "failed"), "the failure, declared by the survivor");
        output.WriteLine($"{owner} killed {(killed - cut).TotalSeconds:0.0} s after the cut with {before.Detector.Misses} miss(es); " +
                         $"{survivor} declared the failure {(failed.Detector.Since - cut)!.Value.TotalSeconds:0.0} s after the cut (bound {FailureBound.TotalSeconds:0.0} s + {Slack.TotalSeconds:0} s)");
        Assert.Equal(survivor, (await lab.ReadOwnersAsync(default))[id]);
        Assert.True(failed.Detector.Since > killed, $"declared at {failed.Detector.Since:O}, after the kill at {killed:O}");
        Assert.True(failed.Detector.Since - cut <= FailureBound + Slack,
            $"cut → failure {(failed.Detector.Since - cut)!.Value.TotalSeconds:0.0} s, bound {FailureBound.TotalSeconds:0.0} s + slack {Slack.TotalSeconds:0} s");

        // Neither reset nor double-counted: the misses the dead node recorded and the survivor's make exactly four.
        var history = await lab.Api.GetProbesAsync(id, 50, default);
        var misses = CountedMisses(history, cut, failed.Detector.Since!.Value);
        Assert.Equal(FailureThreshold, misses.Count);
        Assert.Contains(misses, p => p.RecordedAt < killed);
        Assert.Contains(misses, p => p.RecordedAt > killed);

        var mails = await WaitForMailsAsync(relay, 1, "the failure mail");
        Assert.Equal(FailureSubject, Assert.Single(mails).Subject);
        Assert.Equal([site.Recipient], mails[0].To.Mailboxes.Select(m => m.Address));

        // Still failed three probes later: nothing more, neither at the relay nor in the outbox.
        await WaitForMoreProbesAsync(lab, id, 3);
        Assert.Single(relay.Received);
        Assert.Single(await lab.Api.GetMailsAsync(id, default));
    }

    [Fact]
    public async Task PostgreSQL_restarted_while_a_failure_is_counted_the_nodes_resume_and_the_failure_is_declared_once_with_every_recorded_miss_counted()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var lab = await StartAsync(relay.Port, sites: 1, yieldAfter: TimeSpan.Zero);
        var (site, id) = lab.Sites[0];
        await WaitForBalancedAsync(lab);
        await WaitForReachedAsync(lab, id);

        var cut = DateTimeOffset.UtcNow;
        await lab.ExecuteAsync(new LabCommand("wan", site.Index, On: false), new CancellationTokenSource());
        var before = await WaitForStatusAsync(lab, id, s => s.Detector.Misses >= 1 || Is(s, "failed"), "a miss before the restart");
        Assert.False(Is(before, "failed"));

        await lab.Postgres!.StopAsync(default);
        var stopped = DateTimeOffset.UtcNow;
        // The database stays down until both nodes' leases have run out (their logs say so: event 6804), so the nodes
        // must claim their shards again, under new epochs, when it is back.
        foreach (var node in new[] { 1, 2 })
        {
            await LabHarness.WaitForAsync(() => Task.FromResult(ReadShared(lab.NodeLogFile(node))), log => log.Contains("[6804]", StringComparison.Ordinal), Settle,
                $"node {node}'s leases running out while the database is down");
        }

        await lab.Postgres.StartAgainAsync(default);
        var restarted = DateTimeOffset.UtcNow;

        // The nodes resume: both heartbeat again and every shard has an owner.
        await WaitForBalancedAsync(lab);
        var failed = await WaitForStatusAsync(lab, id, s => Is(s, "failed"), "the failure after the restart");
        output.WriteLine($"{before.Detector.Misses} miss(es) before the stop; PostgreSQL down {(restarted - stopped).TotalSeconds:0.0} s; " +
                         $"failure declared {(failed.Detector.Since - restarted)!.Value.TotalSeconds:0.0} s after the restart");
        Assert.True(failed.Detector.Since > restarted, "the misses straddle the restart");

        // Every recorded miss counted once: the miss recorded before the stop and those after it make exactly four.
        var history = await lab.Api.GetProbesAsync(id, 50, default);
        foreach (var p in history.Where(p => p.StartedAt >= cut).OrderBy(p => p.StartedAt))
        {
            output.WriteLine($"probe {p.Id}: started {p.StartedAt:HH:mm:ss.fff} recorded {p.RecordedAt:HH:mm:ss.fff} {p.Outcome} {p.Detail}");
        }

        output.WriteLine($"cut {cut:HH:mm:ss.fff} stopped {stopped:HH:mm:ss.fff} restarted {restarted:HH:mm:ss.fff} failed {failed.Detector.Since:HH:mm:ss.fff}");
        var misses = CountedMisses(history, cut, failed.Detector.Since!.Value);
        Assert.Equal(FailureThreshold, misses.Count);
        Assert.Contains(misses, p => p.RecordedAt < stopped);

        var mails = await WaitForMailsAsync(relay, 1, "the failure mail");
        Assert.Equal(FailureSubject, Assert.Single(mails).Subject);
        await WaitForMoreProbesAsync(lab, id, 3);
        Assert.Single(relay.Received);
        Assert.Single(await lab.Api.GetMailsAsync(id, default));
        Assert.True(lab.IsNodeRunning(1) && lab.IsNodeRunning(2), "both nodes ride out the restart");
        Assert.All(new[] { 1, 2 }, node => Assert.Contains("[6803]", ReadShared(lab.NodeLogFile(node)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_cut_off_from_the_sites_but_not_from_the_database_mails_nobody_and_yields_its_sites_to_the_healthy_node()
    {
        await using var relay = await TestSmtpServer.StartAsync();
        await using var lab = await StartAsync(relay.Port, sites: 2, yieldAfter: YieldAfter);
        await WaitForBalancedAsync(lab);
        foreach (var (_, siteContract) in lab.Sites)
        {
            await WaitForReachedAsync(lab, siteContract);
        }

        var (_, id) = lab.Sites[0];
        var owner = await WaitForOwnerAsync(lab, id, o => o.StartsWith("node", StringComparison.Ordinal) && !o.Contains(' ', StringComparison.Ordinal), "an owner");
        var cutNode = int.Parse(owner["node".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var healthy = LabRunner.NodeId(3 - cutNode);

        var cut = DateTimeOffset.UtcNow;
        lab.CutNode(cutNode, cut: true);

        // Its canary fails; after YieldAfterCanaryDown its heartbeat says so and it holds nothing; the healthy node holds all.
        var view = await LabHarness.WaitForAsync(() => TryAsync(() => lab.Api.GetClusterAsync(default)),
            c => c is not null && c.Nodes.Any(n => n.NodeId == owner && !n.Healthy && n.Shards == 0) && c.Nodes.Any(n => n.NodeId == healthy && n.Shards == c.Shards),
            Settle, $"{owner} unhealthy with no shards, {healthy} holding all");
        Assert.Equal(0, view!.Unowned);
        output.WriteLine($"{owner} cut off; {healthy} held every shard {(DateTimeOffset.UtcNow - cut).TotalSeconds:0.0} s later (YieldAfterCanaryDown {YieldAfter.TotalSeconds:0} s)");
        Assert.Equal(healthy, (await lab.ReadOwnersAsync(default))[id]);

        // The healthy node probes the site and reaches it, several times; nobody declared anything, nobody got a mail.
        await WaitForMoreProbesAsync(lab, id, 3);
        var history = await lab.Api.GetProbesAsync(id, 50, default);
        Assert.DoesNotContain(history, p => p.StartedAt >= cut && p.Outcome == ProbeOutcome.Missed);
        foreach (var (_, contract) in lab.Sites)
        {
            Assert.Equal("normal", (await lab.Api.GetStatusAsync(contract, default))!.Detector.State, ignoreCase: true);
            Assert.Empty(await lab.Api.GetMailsAsync(contract, default));
        }

        Assert.Empty(relay.Received);

        // Joined again: its canary answers, and it takes its share back.
        lab.CutNode(cutNode, cut: false);
        await LabHarness.WaitForAsync(() => TryAsync(() => lab.Api.GetClusterAsync(default)),
            c => c is not null && c.Nodes.Any(n => n.NodeId == owner && n.Healthy && n.Shards > 0), Settle, $"{owner} healthy with shards again");
        Assert.Empty(relay.Received);
    }

    /// <summary>
    /// The lab with two nodes. <paramref name="yieldAfter"/> is the nodes' YieldAfterCanaryDown: zero (never yield) where
    /// the test is about something else, since on a busy machine a canary call can time out for a few seconds at start
    /// and the node would hand its shards over in the middle of the test.
    /// </summary>
    private async Task<LabRunner> StartAsync(int relayPort, int sites, TimeSpan yieldAfter)
    {
        var options = new LabOptions
        {
            Sites = sites,
            Nodes = 2,
            LeaseTime = LeaseTime,
            Heartbeat = Heartbeat,
            DataDirectory = _data,
            Fresh = true,
            Plain = true,
            HttpPort = FreePort.Next(),
            NodeHttpPorts = [FreePort.Next(), FreePort.Next()],
            PortalPort = FreePort.Next(),
            MqttPort = FreePort.Next(),
            SmtpPort = LabHarness.FreeRange(2),
            SipBasePort = LabHarness.FreeRange(sites + 1),
            EdgePort = FreePort.Next(),
            EdgeRpcPort = FreePort.Next(),
            DestinationPort = FreePort.Next(),
            ProbeInterval = LabHarness.Interval,
            FastInterval = LabHarness.FastInterval,
            ProbeTimeout = LabHarness.Timeout,
            Configuration = LabHarness.Configuration,
            ControllerArguments =
            [
                "--Controller:Mail:Smtp:Host=127.0.0.1",
                $"--Controller:Mail:Smtp:Port={relayPort}",
                "--Controller:Mail:Smtp:Security=none",
                "--Controller:Mail:Smtp:From=gateway-controller@example.jp",
                "--Controller:Mail:InitialRetryDelay=00:00:01",
                "--Controller:Mail:MaxRetryDelay=00:00:02",
                $"--Controller:Cluster:YieldAfterCanaryDown={yieldAfter}",
            ],
        };
        var lab = new LabRunner(options, TextWriter.Null);
        try
        {
            await lab.StartAsync(CancellationToken.None);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    /// <summary>
    /// The misses the detector counted towards the failure declared at <paramref name="failedAt"/>: those recorded after
    /// the cut and after the last reached probe, up to the failure, in the order they were recorded (which is the
    /// detector's order). Not by start time: fast probes overlap (FastInterval is shorter than the timeout), and an
    /// outcome whose write waited for the database is recorded after probes started later, so a miss started before the
    /// failure may be recorded after it, when it no longer counts towards it.
    /// </summary>
    private static List<ProbeHistoryEntry> CountedMisses(IReadOnlyList<ProbeHistoryEntry> history, DateTimeOffset cut, DateTimeOffset failedAt)
    {
        var recorded = history.Where(p => p.RecordedAt >= cut && p.RecordedAt <= failedAt).OrderBy(p => p.Id).ToList();
        var lastReached = recorded.FindLastIndex(p => p.Outcome == ProbeOutcome.Reached);
        return recorded.Skip(lastReached + 1).Where(p => p.Outcome == ProbeOutcome.Missed).ToList();
    }

    /// <summary>A file another process is writing.</summary>
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static bool Is(ContractStatus status, string detector) => status.Detector.State.Equals(detector, StringComparison.OrdinalIgnoreCase);

    /// <summary>Another process's state read over HTTP; null while it cannot answer (a node killed, the database down).</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Both nodes live, healthy and holding shards, and no shard without an owner.</summary>
    private static Task<ClusterState?> WaitForBalancedAsync(LabRunner lab) =>
        LabHarness.WaitForAsync(() => TryAsync(() => lab.Api.GetClusterAsync(default)),
            c => c is { Clustered: true, Unowned: 0, Nodes.Count: 2 } && c.Nodes.All(n => n.Live && n.Healthy && n.Shards > 0) && c.Nodes.Sum(n => n.Shards) == c.Shards,
            Settle, "two live nodes sharing every shard");

    private static async Task<ContractStatus> WaitForStatusAsync(LabRunner lab, long id, Func<ContractStatus, bool> condition, string what) =>
        (await LabHarness.WaitForAsync(() => TryAsync(() => lab.Api.GetStatusAsync(id, default)), s => s is not null && condition(s), Settle, what))!;

    private static Task<ProbeHistoryEntry?> WaitForReachedAsync(LabRunner lab, long id) =>
        LabHarness.WaitForAsync(() => TryAsync(() => lab.Api.GetLastProbeAsync(id, default)), p => p is { Outcome: ProbeOutcome.Reached }, Settle,
            $"contract {id} reached by a probe");

    private static async Task<string> WaitForOwnerAsync(LabRunner lab, long id, Func<string, bool> condition, string what)
    {
        var owners = await LabHarness.WaitForAsync(async () =>
        {
            try
            {
                return await lab.ReadOwnersAsync(default);
            }
            catch (Npgsql.NpgsqlException)
            {
                return new Dictionary<long, string>();
            }
        }, o => o.TryGetValue(id, out var owner) && condition(owner), Settle, $"contract {id}: {what}");
        return owners[id];
    }

    /// <summary>Waits until <paramref name="count"/> more probes of the contract are recorded than when called (any node).</summary>
    private static async Task WaitForMoreProbesAsync(LabRunner lab, long id, int count)
    {
        var last = (await TryAsync(() => lab.Api.GetLastProbeAsync(id, default)))?.StartedAt ?? DateTimeOffset.MinValue;
        for (var probe = 1; probe <= count; probe++)
        {
            var seen = last;
            var next = await LabHarness.WaitForAsync(() => TryAsync(() => lab.Api.GetLastProbeAsync(id, default)),
                p => p is not null && p.StartedAt > seen, Settle, $"probe {probe} of {count} more");
            last = next!.StartedAt;
        }
    }

    private static async Task<IReadOnlyList<MimeKit.MimeMessage>> WaitForMailsAsync(TestSmtpServer relay, int count, string what)
    {
        await LabHarness.WaitForAsync(() => Task.FromResult(relay.Received.Count), n => n >= count, Settle, what);
        return relay.Received;
    }
}
