using GatewayAgent.Contracts;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Detection;

[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public class ProbeOutcomeRecorderTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    internal static async Task<bool> ProbeAsync(ControllerHarness harness, long contractId, ProbeOutcome outcome)
    {
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var status = outcome == ProbeOutcome.Reached ? 180 : (int?)null;
        return await harness.Recorder.RecordAsync(
            new ProbeRecord(contractId, outcome, status, outcome == ProbeOutcome.Reached ? "180 Ringing" : "timeout", harness.Time.GetUtcNow(), null),
            CancellationToken.None);
    }

    internal static async Task ProbeManyAsync(ControllerHarness harness, long contractId, ProbeOutcome outcome, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await ProbeAsync(harness, contractId, outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Three_misses_then_a_success_is_no_failure(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 3);
        var afterThree = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((DetectorStates.Normal, 3), (afterThree!.Detector.State, afterThree.Detector.Misses));

        Assert.True(await ProbeAsync(harness, contract.Id, ProbeOutcome.Reached));
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 3);

        var after = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal(DetectorStates.Normal, after!.Detector.State);
        Assert.Empty(await harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal(0, await harness.Outbox.CountPendingAsync(CancellationToken.None));
        Assert.Equal(7, (await harness.Services.GetRequiredService<DetectionHistory>().GetProbesAsync(contract.Id, 100, CancellationToken.None)).Count);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Fourth_miss_declares_failure_and_queues_one_mail_per_checked_recipient(string backend)
    {
        // FN-4: the fourth consecutive miss is the failure, and the failure is mailed.
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 3);
        Assert.Equal(0, await harness.Outbox.CountPendingAsync(CancellationToken.None));
        Assert.True(await ProbeAsync(harness, contract.Id, ProbeOutcome.Missed)); // settled: FAILED with nothing counted
        var detectedAt = harness.Time.GetUtcNow();

        var stored = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal(DetectorStates.Failed, stored!.Detector.State);
        Assert.Equal(detectedAt, stored.Detector.Since);

        var transition = Assert.Single(await harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal((DetectorStates.Normal, DetectorStates.Failed, FailureCauses.NoAnswer, detectedAt), (transition.From, transition.To, transition.Cause, transition.At));

        // FN-8: the unchecked recipient gets nothing.
        var mails = await harness.Outbox.GetDueAsync(harness.Time.GetUtcNow(), 100, CancellationToken.None);
        Assert.Equal(["boss@example.jp", "ops@example.jp"], mails.Select(m => m.Recipient).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Equal(MailKind.Failure, m.Kind));
        var facts = Assert.Single(harness.Composer.Composed);
        Assert.Equal(
            new MailFacts(MailKind.Failure, "0312345678", "0312345670", detectedAt, "株式会社テスト", "本社ビル3F", FailureCauses.NoAnswer),
            facts);

        // Further misses while failed queue nothing more.
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 5);
        Assert.Equal(2, await harness.Outbox.CountPendingAsync(CancellationToken.None));
        var published = Assert.Single(harness.Publisher.Published);
        Assert.Equal((contract.Id, "failed", false), (published.ContractId, published.Detector, published.Forwarding));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Recovery_needs_four_consecutive_reached_and_mails_again(string backend)
    {
        // FN-5: after the failure, the fourth consecutive reached probe is the recovery, and it is mailed.
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 3);
        Assert.False(await ProbeAsync(harness, contract.Id, ProbeOutcome.ProberDegraded)); // neither counts nor resets: still counting
        await ProbeAsync(harness, contract.Id, ProbeOutcome.Missed);
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 3);
        Assert.Equal(DetectorStates.Failed, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);

        Assert.True(await ProbeAsync(harness, contract.Id, ProbeOutcome.Reached));
        Assert.Equal(DetectorStates.Normal, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);

        var transitions = await harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract.Id, 10, CancellationToken.None);
        Assert.Equal([DetectorStates.Normal, DetectorStates.Failed], transitions.Select(t => t.To));
        Assert.Equal(FailureCauses.Reached, transitions[0].Cause);
        var mails = await harness.Outbox.GetDueAsync(harness.Time.GetUtcNow(), 100, CancellationToken.None);
        Assert.Equal(2, mails.Count(m => m.Kind == MailKind.Recovery));
        Assert.Equal(2, mails.Count(m => m.Kind == MailKind.Failure));
        Assert.Null(harness.Composer.Composed[^1].Cause);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task With_a_recovery_hold_a_flapping_site_is_mailed_one_failure_and_one_recovery(string backend)
    {
        // Flap damping (Controller:Detection:RecoveryHold, default off): a site that answers 4 and misses 4 in turn
        // would fail and recover every 8 probes (FN-4, FN-5); with a 15-minute hold (one probe a minute here) it stays
        // failed until 4 answers in a row come at least 15 minutes after the failure.
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster, [new("Controller:Detection:RecoveryHold", "00:15:00")]);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4); // failed at minute 4
        for (var flap = 0; flap < 2; flap++)
        {
            await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 4); // minutes 8 and 16: held
            await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);
        }

        Assert.Equal(DetectorStates.Failed, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 3);
        Assert.True(await ProbeAsync(harness, contract.Id, ProbeOutcome.Reached)); // minute 24: recovered, settled
        Assert.Equal(DetectorStates.Normal, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);

        var transitions = await harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract.Id, 10, CancellationToken.None);
        Assert.Equal([DetectorStates.Normal, DetectorStates.Failed], transitions.Select(t => t.To));
        var mails = await harness.Outbox.GetDueAsync(harness.Time.GetUtcNow(), 100, CancellationToken.None);
        Assert.Equal(mails.Count(m => m.Kind == MailKind.Failure), mails.Count(m => m.Kind == MailKind.Recovery));
        Assert.Equal(2, mails.Count(m => m.Kind == MailKind.Failure)); // one per checked recipient, as without the hold
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Prober_degraded_outcomes_never_declare_a_failure(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 3);
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.ProberDegraded, 10);
        var stored = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((DetectorStates.Normal, 3), (stored!.Detector.State, stored.Detector.Misses));

        await ProbeAsync(harness, contract.Id, ProbeOutcome.Missed);
        Assert.Equal(DetectorStates.Failed, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Detector_state_and_counters_survive_a_restart(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 3);
        await harness.RestartAsync();
        await ProbeAsync(harness, contract.Id, ProbeOutcome.Missed);
        Assert.Equal(DetectorStates.Failed, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 2);
        await harness.RestartAsync();
        var reloaded = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((DetectorStates.Failed, 2), (reloaded!.Detector.State, reloaded.Detector.Reached));
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 2);
        Assert.Equal(DetectorStates.Normal, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Detector.State);
        Assert.Equal(4, await harness.Outbox.CountPendingAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_recent_power_loss_report_is_the_failure_cause(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var events = harness.Services.GetRequiredService<ISiteEventLog>();
        var lost = new AgentEvent { Id = "e-1", Seq = 1, Ts = harness.Time.GetUtcNow(), Type = EventTypes.PowerLost };
        Assert.True(await events.TryAddAsync(contract.SiteId!, lost, harness.Time.GetUtcNow(), CancellationToken.None));
        Assert.False(await events.TryAddAsync(contract.SiteId!, lost, harness.Time.GetUtcNow(), CancellationToken.None)); // idempotent ingest

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);

        var transition = Assert.Single(await harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal(FailureCauses.PowerLost, transition.Cause);
        Assert.Equal(FailureCauses.PowerLost, harness.Composer.Composed[0].Cause);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_old_or_cancelled_power_loss_report_is_not_the_cause(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var other = await harness.Contracts.CreateAsync(ContractSamples.Monitored("04123"), CancellationToken.None);
        var events = harness.Services.GetRequiredService<ISiteEventLog>();
        var at = harness.Time.GetUtcNow();
        await events.TryAddAsync(contract.SiteId!, new AgentEvent { Id = "a-1", Seq = 1, Ts = at, Type = EventTypes.PowerLost }, at, CancellationToken.None);
        await events.TryAddAsync(other.SiteId!, new AgentEvent { Id = "b-1", Seq = 1, Ts = at, Type = EventTypes.PowerLost }, at, CancellationToken.None);
        await events.TryAddAsync(other.SiteId!, new AgentEvent { Id = "b-2", Seq = 2, Ts = at, Type = EventTypes.PowerRestored }, at.AddSeconds(1), CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(30)); // beyond the 15-minute signal window

        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);
        await ProbeManyAsync(harness, other.Id, ProbeOutcome.Missed, 4);

        var history = harness.Services.GetRequiredService<DetectionHistory>();
        Assert.Equal(FailureCauses.NoAnswer, Assert.Single(await history.GetTransitionsAsync(contract.Id, 10, CancellationToken.None)).Cause);
        Assert.Equal(FailureCauses.NoAnswer, Assert.Single(await history.GetTransitionsAsync(other.Id, 10, CancellationToken.None)).Cause);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Probe_history_is_pruned_to_the_configured_length(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(
            backend, cluster, new Dictionary<string, string?> { ["Controller:Detection:ProbeHistory"] = "10" });
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 25);

        var probes = await harness.Services.GetRequiredService<DetectionHistory>().GetProbesAsync(contract.Id, 100, CancellationToken.None);
        Assert.Equal(10, probes.Count);
        Assert.Equal(harness.Time.GetUtcNow(), probes[0].StartedAt);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Concurrent_outcomes_for_one_contract_transition_exactly_once(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => harness.Recorder.RecordAsync(
            new ProbeRecord(contract.Id, ProbeOutcome.Missed, null, "timeout", harness.Time.GetUtcNow(), null), CancellationToken.None))));

        Assert.Single(await harness.Services.GetRequiredService<DetectionHistory>().GetTransitionsAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal(2, await harness.Outbox.CountPendingAsync(CancellationToken.None));
        Assert.Equal(12, (await harness.Services.GetRequiredService<DetectionHistory>().GetProbesAsync(contract.Id, 100, CancellationToken.None)).Count);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_offline_agent_or_a_recent_wan_down_makes_the_cause_offline(string backend)
    {
        var live = new FixedLiveStatus(
            new SiteLiveStatus { SiteId = "site-03123", Online = false },
            new SiteLiveStatus { SiteId = "site-05123", Online = true });
        await using var harness = await ControllerHarness.CreateAsync(
            backend, cluster, configure: services => services.AddSingleton<ISiteLiveStatusReader>(live));
        var offline = await harness.Contracts.CreateAsync(ContractSamples.Monitored("03123"), CancellationToken.None);
        var wanDown = await harness.Contracts.CreateAsync(ContractSamples.Monitored("04123"), CancellationToken.None);
        var online = await harness.Contracts.CreateAsync(ContractSamples.Monitored("05123"), CancellationToken.None);
        var at = harness.Time.GetUtcNow();
        await harness.Services.GetRequiredService<ISiteEventLog>().TryAddAsync(
            wanDown.SiteId!, new AgentEvent { Id = "w-1", Seq = 1, Ts = at, Type = EventTypes.WanDown }, at, CancellationToken.None);

        foreach (var contract in new[] { offline, wanDown, online })
        {
            await ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);
        }

        var history = harness.Services.GetRequiredService<DetectionHistory>();
        Assert.Equal(FailureCauses.Offline, Assert.Single(await history.GetTransitionsAsync(offline.Id, 10, CancellationToken.None)).Cause);
        Assert.Equal(FailureCauses.Offline, Assert.Single(await history.GetTransitionsAsync(wanDown.Id, 10, CancellationToken.None)).Cause);
        Assert.Equal(FailureCauses.NoAnswer, Assert.Single(await history.GetTransitionsAsync(online.Id, 10, CancellationToken.None)).Cause);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Outcomes_that_arrive_together_are_written_together_and_each_counts_once(string backend)
    {
        // A regional failure: many contracts' misses arrive at once and share transactions (group commit). Each contract
        // still fails exactly once (FN-4), with its own mails (FN-8), and every probe is stored, also when one contract's
        // outcomes sit in the same batch.
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contracts = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            contracts.Add((await harness.Contracts.CreateAsync(ContractSamples.Monitored($"03{i + 100:D3}"), CancellationToken.None)).Id);
        }

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var all = contracts.SelectMany(id => Enumerable.Range(0, 4).Select(_ => harness.Recorder.RecordAsync(
            new ProbeRecord(id, ProbeOutcome.Missed, null, "timeout", harness.Time.GetUtcNow(), null), CancellationToken.None)));
        await Task.WhenAll(all);

        var history = harness.Services.GetRequiredService<DetectionHistory>();
        foreach (var id in contracts)
        {
            Assert.Equal(DetectorStates.Failed, (await harness.Contracts.GetAsync(id, CancellationToken.None))!.Detector.State);
            Assert.Single(await history.GetTransitionsAsync(id, 10, CancellationToken.None));
            Assert.Equal(4, (await history.GetProbesAsync(id, 100, CancellationToken.None)).Count);
        }

        Assert.Equal(60, await harness.Outbox.CountPendingAsync(CancellationToken.None));
    }
}
