using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Tests.Detection;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Forwarding;

/// <summary>BF-11: the operator's stop holds the switch off until the operator releases it, on every storage backend.</summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public class ForwardingHoldTests(PostgresCluster cluster)
{
    private const string OwnerAsked = "owner of 090-1234-5678 asked";

    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_operator_stop_holds_the_switch_and_a_start_is_refused_until_released_BF_11(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        await harness.Switch.StartAsync(contract.Id, "alice", "customer phoned", CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        var heldAt = harness.Time.GetUtcNow();

        var stopped = await harness.Switch.StopAsync(contract.Id, operatorOverride: true, "bob", OwnerAsked, CancellationToken.None);

        Assert.Equal(new ForwardingView(false, heldAt, ForwardingReasons.OperatorOverride, true, heldAt, "bob", OwnerAsked), stopped!.Forwarding);
        Assert.Equal(stopped.Forwarding, (await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding);
        Assert.True(harness.Publisher.Published[^1] is { Forwarding: false, ForwardingHeld: true });

        // Neither the customer's start nor a second start gets past the hold; nothing is audited for them.
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var refused = await Assert.ThrowsAsync<ForwardingHeldException>(() => harness.Switch.StartAsync(contract.Id, "alice", "customer again", CancellationToken.None));
        Assert.Equal((heldAt, "bob", OwnerAsked), (refused.HeldSince, refused.HeldBy, refused.Note));
        Assert.Contains("BF-11", refused.Message, StringComparison.Ordinal);
        Assert.Contains(OwnerAsked, refused.Message, StringComparison.Ordinal);
        Assert.False((await harness.Contracts.GetAsync(contract.Id, CancellationToken.None))!.Forwarding.On);

        // The release needs a note, ends the hold, and does not by itself turn forwarding on.
        await Assert.ThrowsAsync<ContractRuleException>(() => harness.Switch.ReleaseAsync(contract.Id, "bob", "  ", CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var released = await harness.Switch.ReleaseAsync(contract.Id, "carol", "owner agreed again", CancellationToken.None);
        Assert.Equal(new ForwardingView(false, heldAt, ForwardingReasons.OperatorOverride), released!.Forwarding);
        Assert.True(harness.Publisher.Published[^1] is { Forwarding: false, ForwardingHeld: false });
        var releasedAgain = await harness.Switch.ReleaseAsync(contract.Id, "carol", "again", CancellationToken.None); // not held: nothing changes
        Assert.Equal(released.Forwarding, releasedAgain!.Forwarding);

        var started = await harness.Switch.StartAsync(contract.Id, "alice", "customer phoned", CancellationToken.None);
        Assert.True(started!.Forwarding.On);

        var audit = await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None);
        Assert.Equal(
            [
                (true, ForwardingReasons.Manual, "alice", "customer phoned"),
                (false, ForwardingReasons.OperatorRelease, "carol", "owner agreed again"),
                (false, ForwardingReasons.OperatorHold, "bob", OwnerAsked),
                (false, ForwardingReasons.OperatorOverride, "bob", OwnerAsked),
                (true, ForwardingReasons.Manual, "alice", "customer phoned"),
            ],
            audit.Select(a => (a.On, a.Reason, a.Actor, a.Note)));
        Assert.Null(await harness.Switch.ReleaseAsync(424242, "carol", "no such contract", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_operator_stop_while_forwarding_is_off_still_holds_it_BF_11(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        var held = await harness.Switch.StopAsync(contract.Id, operatorOverride: true, "bob", OwnerAsked, CancellationToken.None);

        // The switch itself did not change (it never was on), the hold did.
        Assert.Equal(new ForwardingView(false, null, null, true, harness.Time.GetUtcNow(), "bob", OwnerAsked), held!.Forwarding);
        Assert.True(Assert.Single(harness.Publisher.Published) is { Forwarding: false, ForwardingHeld: true });
        await Assert.ThrowsAsync<ForwardingHeldException>(() => harness.Switch.StartAsync(contract.Id, "alice", null, CancellationToken.None));

        // A second operator stop while held changes and audits nothing; the first hold's note stays.
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await harness.Switch.StopAsync(contract.Id, operatorOverride: true, "dave", "asked twice", CancellationToken.None);
        Assert.Equal(held.Forwarding, again!.Forwarding);
        Assert.Equal(
            [(false, ForwardingReasons.OperatorHold, "bob", OwnerAsked)],
            (await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None)).Select(a => (a.On, a.Reason, a.Actor, a.Note)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_failure_while_held_mails_but_does_not_auto_start_and_the_suppression_is_audited_BF_11_FN_6(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(autoStart: true, autoStop: true), CancellationToken.None);
        await harness.Switch.StopAsync(contract.Id, operatorOverride: true, "bob", OwnerAsked, CancellationToken.None);

        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);

        var failed = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((DetectorStates.Failed, false, true), (failed!.Detector.State, failed.Forwarding.On, failed.Forwarding.Held));
        Assert.Equal(2, await harness.Outbox.CountPendingAsync(CancellationToken.None)); // FN-8: the failure mails still go
        var suppressed = (await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None))[0];
        Assert.Equal((false, ForwardingReasons.AutoStartSuppressed, ProbeOutcomeRecorder.DetectorActor), (suppressed.On, suppressed.Reason, suppressed.Actor));
        Assert.Contains("held by the operator (BF-11)", suppressed.Note, StringComparison.Ordinal);
        Assert.Contains("failure detected", suppressed.Note, StringComparison.Ordinal);
        Assert.True(harness.Publisher.Published[^1] is { Detector: "failed", Forwarding: false, ForwardingHeld: true });

        // Recovery with auto-stop: the switch is off already, nothing to audit. After the release, the next failure auto-starts (FN-6).
        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Reached, 4);
        await harness.Switch.ReleaseAsync(contract.Id, "bob", "owner agreed", CancellationToken.None);
        await ProbeOutcomeRecorderTests.ProbeManyAsync(harness, contract.Id, ProbeOutcome.Missed, 4);
        var restarted = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((true, ForwardingReasons.AutoStart, false), (restarted!.Forwarding.On, restarted.Forwarding.Reason, restarted.Forwarding.Held));
        Assert.Equal(
            [ForwardingReasons.AutoStart, ForwardingReasons.OperatorRelease, ForwardingReasons.AutoStartSuppressed, ForwardingReasons.OperatorHold],
            (await harness.Switch.GetAuditAsync(contract.Id, 10, CancellationToken.None)).Select(a => a.Reason));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_hold_survives_a_restart_and_contract_edits_BF_11(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        await harness.Switch.StopAsync(contract.Id, operatorOverride: true, "bob", OwnerAsked, CancellationToken.None);

        // A replace of the whole definition (the API's PUT) cannot set or clear the hold: it is the switch's, not the definition's.
        await harness.Contracts.UpdateAsync(contract.Id, d => d with { Channels = 6 }, CancellationToken.None);
        await harness.RestartAsync();

        var stored = await harness.Contracts.GetAsync(contract.Id, CancellationToken.None);
        Assert.Equal((6, true, "bob", OwnerAsked), (stored!.Channels, stored.Forwarding.Held, stored.Forwarding.HeldBy, stored.Forwarding.HeldNote));
        await Assert.ThrowsAsync<ForwardingHeldException>(() => harness.Switch.StartAsync(contract.Id, "alice", null, CancellationToken.None));
    }
}
