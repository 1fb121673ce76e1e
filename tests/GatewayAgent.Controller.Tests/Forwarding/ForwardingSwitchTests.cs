using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Tests.Detection;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Forwarding;

[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public class ForwardingSwitchTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Auto_start_turns_the_switch_on_at_failure_and_auto_stop_off_at_recovery_FN_6_FN_7(string backend)
    {
        // BF-1: the switch belongs to the contract, so one change covers all of its numbers at once.
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(autoStart: true, autoStop: true), CancellationToken.None);

        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 3);
        Assert.False((await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding.On);
        await ProbeOutcomeRecorderTests.ProbeAsync(harness, contract.Id, ProbeOutcome.Missed);
        var failedAt = harness.Time.GetUtcNow();

        var on = (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding;
        Assert.Equal(new ForwardingView(true, failedAt, ForwardingReasons.AutoStart), on);
        var published = harness.Publisher.Published[^1];
        Assert.Equal(("failed", true, ForwardingReasons.AutoStart), (published.Detector, published.Forwarding, published.ForwardingReason));

        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 4);
        var recoveredAt = harness.Time.GetUtcNow();
        Assert.Equal(new ForwardingView(false, recoveredAt, ForwardingReasons.AutoStop), (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding);

        var audit = await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None);
        Assert.Equal(
            [(false, ForwardingReasons.AutoStop, ProbeOutcomeRecorder.DetectorActor), (true, ForwardingReasons.AutoStart, ProbeOutcomeRecorder.DetectorActor)],
            audit.Select(a => (a.On, a.Reason, a.Actor)));
        Assert.Equal(("normal", false), (harness.Publisher.Published[^1].Detector, harness.Publisher.Published[^1].Forwarding));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Without_the_flags_the_switch_is_left_alone(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);
        Assert.False((await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding.On);

        // Manual start while failed; recovery without auto-stop leaves it on (FN-7).
        await harness.Switch.StartAsync(contract.Id, "operator", "customer called", CancellationToken.None);
        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 4);
        var after = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((DetectorStates.Normal, true, ForwardingReasons.Manual), (after!.Detector.State, after.Forwarding.On, after.Forwarding.Reason));
        Assert.Single(await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Auto_start_without_destinations_does_not_start_BF_4(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(autoStart: true, destinations: false), CancellationToken.None);

        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);

        var stored = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((DetectorStates.Failed, false), (stored!.Detector.State, stored.Forwarding.On));
        Assert.Empty(await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None));
        Assert.Equal(2, await harness.Outbox.CountPendingAsync(CancellationToken.None)); // the mails still go
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Manual_start_is_rejected_without_destinations_BF_4(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(destinations: false), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ContractRuleException>(() => harness.Switch.StartAsync(contract.Id, "operator", null, CancellationToken.None));

        Assert.Equal(("destinations", "BF-4"), (error.Violations[0].Field, error.Violations[0].Rule));
        Assert.False((await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding.On);
        Assert.Empty(await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None));
        Assert.Empty(harness.Publisher.Published);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Manual_start_and_operator_override_stop_are_audited_BF_11(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        var started = await harness.Switch.StartAsync(contract.Id, "alice", null, CancellationToken.None);
        Assert.True(started!.Forwarding.On);
        await harness.Switch.StartAsync(contract.Id, "alice", null, CancellationToken.None); // already on: no second audit row

        await Assert.ThrowsAsync<ContractRuleException>(() => harness.Switch.StopAsync(contract.Id, operatorOverride: true, "bob", " ", CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        var stopped = await harness.Switch.StopAsync(contract.Id, operatorOverride: true, "bob", "destination owner 090-1234-5678 asked", CancellationToken.None);

        var now = harness.Time.GetUtcNow();
        Assert.Equal(
            new ForwardingView(false, now, ForwardingReasons.OperatorOverride, Held: true, now, "bob", "destination owner 090-1234-5678 asked"), stopped!.Forwarding);
        var audit = await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None);
        Assert.Equal(
            [
                (false, ForwardingReasons.OperatorHold, "bob", "destination owner 090-1234-5678 asked"), // and holds it (ForwardingHoldTests)
                (false, ForwardingReasons.OperatorOverride, "bob", "destination owner 090-1234-5678 asked"),
                (true, ForwardingReasons.Manual, "alice", null),
            ],
            audit.Select(a => (a.On, a.Reason, a.Actor, a.Note)));
        Assert.Equal(2, harness.Publisher.Published.Count);
        Assert.Null(await harness.Switch.StartAsync(424242, "alice", null, CancellationToken.None));
    }
}
