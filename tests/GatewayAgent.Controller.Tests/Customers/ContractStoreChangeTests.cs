using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Customers;

/// <summary>The partial changes the API offers, at the store (no HTTP), on every storage backend.</summary>
[Trait("Ring", "integration")]
[Collection(StorageCollection.Name)]
public sealed class ContractStoreChangeTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_new_monitoring_number_takes_the_probe_with_it_FN_2(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(destinations: false), CancellationToken.None);
        Assert.Equal("sip:0312345670@192.0.2.10:5060", created.ProbeTarget);

        var moved = await harness.Contracts.SetNumbersAsync(created.Id, null, "03-1234-5679", null, CancellationToken.None);

        Assert.NotNull(moved);
        Assert.Equal("0312345679", moved.MonitoringNumber);
        Assert.Equal("sip:0312345679@192.0.2.10:5060", moved.ProbeTarget);
        Assert.Equal(["0312345679", "0312345670"], moved.AdditionalNumbers); // unchanged
        Assert.Equal(4, moved.Channels);
        var stored = await harness.Contracts.GetAsync(created.Id, CancellationToken.None);
        Assert.Equal(("0312345679", "sip:0312345679@192.0.2.10:5060"), (stored!.MonitoringNumber, stored.ProbeTarget));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_removed_number_takes_its_destination_with_it_BF_2(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        Assert.Equal(2, created.Destinations.Count); // 0312345678 and 0312345679

        var changed = await harness.Contracts.SetNumbersAsync(created.Id, ["0312345670", "0312345671"], null, 6, CancellationToken.None);

        Assert.NotNull(changed);
        Assert.Equal(["0312345670", "0312345671"], changed.AdditionalNumbers);
        Assert.Equal([new DestinationEntry("0312345678", "09012345678")], changed.Destinations);
        Assert.Equal(6, changed.Channels);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_monitoring_number_outside_the_contract_is_refused_and_nothing_changes_FN_2(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ContractRuleException>(
            () => harness.Contracts.SetNumbersAsync(created.Id, ["0312345670"], "0312345679", 9, CancellationToken.None));

        Assert.Contains(refused.Violations, v => v is { Field: "monitoringNumber", Rule: "FN-2" });
        var stored = await harness.Contracts.GetAsync(created.Id, CancellationToken.None);
        Assert.Equal(created.AdditionalNumbers, stored!.AdditionalNumbers);
        Assert.Equal(created.Destinations, stored.Destinations);
        Assert.Equal(created.ProbeTarget, stored.ProbeTarget);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task One_destination_per_number_is_set_replaced_and_removed_in_any_notation_BF_2(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(destinations: false), CancellationToken.None);

        await harness.Contracts.SetDestinationAsync(created.Id, "03-1234-5679", "03-9999-0000", CancellationToken.None);
        var replaced = await harness.Contracts.SetDestinationAsync(created.Id, "０３１２３４５６７９", "＋８１ ３ ９９９９ ０００１", CancellationToken.None);
        Assert.Equal([new DestinationEntry("0312345679", "0399990001")], replaced!.Destinations);

        var removed = await harness.Contracts.RemoveDestinationAsync(created.Id, "+81-3-1234-5679", CancellationToken.None);
        Assert.Empty(removed!.Destinations);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Restricted_and_monitoring_destinations_are_refused_in_any_notation_BF_9_BF_14(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(destinations: false), CancellationToken.None);

        var restricted = await Assert.ThrowsAsync<ContractRuleException>(
            () => harness.Contracts.SetDestinationAsync(created.Id, "0312345679", "０１２０－１２３－４５６", CancellationToken.None));
        Assert.Contains(restricted.Violations, v => v is { Field: "destinations[0].destination", Rule: "BF-9" });

        var monitoring = await Assert.ThrowsAsync<ContractRuleException>(
            () => harness.Contracts.SetDestinationAsync(created.Id, "03-1234-5670", "0399990000", CancellationToken.None));
        Assert.Contains(monitoring.Violations, v => v is { Field: "destinations[0].number", Rule: "BF-14" });

        Assert.Empty((await harness.Contracts.GetAsync(created.Id, CancellationToken.None))!.Destinations);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_last_destinations_stay_while_forwarding_is_on_unless_forced_BF_5(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        Assert.True((await harness.Switch.StartAsync(created.Id, "tester", null, CancellationToken.None))!.Forwarding.On);

        var refused = await Assert.ThrowsAsync<ContractRuleException>(
            () => harness.Contracts.UpdateAsync(created.Id, d => d with { Destinations = [] }, CancellationToken.None));
        Assert.Equal("BF-5", Assert.Single(refused.Violations).Rule);
        await Assert.ThrowsAsync<ContractRuleException>(
            () => harness.Contracts.PreviewAsync(created.Id, d => d with { Destinations = [] }, force: false, CancellationToken.None));
        Assert.Equal(2, (await harness.Contracts.GetAsync(created.Id, CancellationToken.None))!.Destinations.Count);

        var preview = await harness.Contracts.PreviewAsync(created.Id, d => d with { Destinations = [] }, force: true, CancellationToken.None);
        Assert.Empty(preview!.Value.Next.Destinations);
        Assert.Equal(2, (await harness.Contracts.GetAsync(created.Id, CancellationToken.None))!.Destinations.Count); // a preview saves nothing

        var forced = await harness.Contracts.UpdateAsync(created.Id, d => d with { Destinations = [] }, force: true, CancellationToken.None);
        Assert.Empty(forced!.Destinations);
        Assert.True(forced.Forwarding.On);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Changes_to_a_missing_contract_give_null(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);

        Assert.Null(await harness.Contracts.SetNumbersAsync(99_999, [], null, null, CancellationToken.None));
        Assert.Null(await harness.Contracts.SetDestinationAsync(99_999, "0312345678", "0399990000", CancellationToken.None));
        Assert.Null(await harness.Contracts.RemoveDestinationAsync(99_999, "0312345678", CancellationToken.None));
    }
}
