using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Customers;

/// <summary>BF-10 call screening at the store (no HTTP), on every storage backend, down to the edge's views.</summary>
[Trait("Ring", "integration")]
[Collection(StorageCollection.Name)]
public sealed class CallScreeningStoreTests(PostgresCluster cluster)
{
    /// <summary>The probe calls' caller number in these tests (Controller:Probing:CallerNumber), written as an operator might.</summary>
    private const string ProbeCaller = "+81 50-1234-5678";

    public static TheoryData<string> Backends => Storage.Backends.All;

    private Task<ControllerHarness> HarnessAsync(string backend) =>
        ControllerHarness.CreateAsync(backend, cluster, configure: s => s.AddSingleton<ProbeTargetsChanged>().Configure<ProbingOptions>(o => o.CallerNumber = ProbeCaller));

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Screening_is_stored_normalised_and_survives_every_other_change_BF_10(string backend)
    {
        await using var harness = await HarnessAsync(backend);
        var created = await harness.Contracts.CreateAsync(
            ContractSamples.Monitored() with
            {
                Screening = new ScreeningSettings { RejectAnonymous = true, NuisanceCallers = ["090-1111-2222", "０３１１１１２２２２", "+81 90 1111 2222"] },
            },
            CancellationToken.None);

        // One truth for numbers (PhoneNumber): three notations of two numbers are two entries.
        string[] expected = ["0311112222", "09011112222"]; // read back in number order
        Assert.Equal(expected, created.Screening.NuisanceCallers);
        Assert.True(created.Screening.RejectAnonymous);

        // Read-modify-write of other parts keeps the screening (ContractRecord.ToDefinition carries it).
        var changed = await harness.Contracts.SetNumbersAsync(created.Id, null, null, 6, CancellationToken.None);
        Assert.Equal(expected, changed!.Screening.NuisanceCallers);
        Assert.True(changed.Screening.RejectAnonymous);
        await harness.RestartAsync();
        var stored = await harness.Contracts.GetAsync(created.Id, CancellationToken.None);
        Assert.Equal((6, true), (stored!.Channels, stored.Screening.RejectAnonymous));
        Assert.Equal(expected, stored.Screening.NuisanceCallers);
        var same = await harness.Contracts.UpdateAsync(created.Id, d => d, CancellationToken.None);
        Assert.Equal(expected, same!.Screening.NuisanceCallers);
        Assert.True(same.Screening.RejectAnonymous);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_screening_change_is_announced_and_the_edge_views_show_it_BF_10(string backend)
    {
        await using var harness = await HarnessAsync(backend);
        var notices = 0;
        harness.Services.GetRequiredService<ProbeTargetsChanged>().Changed += () => Interlocked.Increment(ref notices);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var other = await harness.Contracts.CreateAsync(ContractSamples.Monitored("04123"), CancellationToken.None);
        Assert.Equal(2, notices);
        Assert.Equal("0", Field(await EdgeContractAsync(harness, created.Id), 2));

        var set = await harness.Contracts.SetScreeningAsync(
            created.Id, new ScreeningSettings { RejectAnonymous = true, NuisanceCallers = ["090-1111-2222", "03-1111-2222"] }, CancellationToken.None);

        Assert.Equal(3, notices); // the integrator's edge push hangs on this notice
        Assert.Equal(["0311112222", "09011112222"], set!.Screening.NuisanceCallers);
        Assert.Equal("1", Field(await EdgeContractAsync(harness, created.Id), 2)); // ctr: forwarding|channels|reject anonymous|...
        Assert.Equal("0", Field(await EdgeContractAsync(harness, other.Id), 2));
        Assert.Equal(
            [$"{created.Id}:0311112222", $"{created.Id}:09011112222"],
            await EdgeNuisanceAsync(harness));

        // Replacing the list replaces the rows; deleting the contract takes them with it.
        await harness.Contracts.SetScreeningAsync(created.Id, new ScreeningSettings { NuisanceCallers = ["0311112222"] }, CancellationToken.None);
        await harness.Contracts.SetScreeningAsync(other.Id, new ScreeningSettings { NuisanceCallers = ["0311112222"] }, CancellationToken.None);
        Assert.Equal("0", Field(await EdgeContractAsync(harness, created.Id), 2));
        Assert.Equal([$"{created.Id}:0311112222", $"{other.Id}:0311112222"], await EdgeNuisanceAsync(harness));
        Assert.True(await harness.Contracts.DeleteAsync(created.Id, CancellationToken.None));
        Assert.Equal([$"{other.Id}:0311112222"], await EdgeNuisanceAsync(harness));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Invalid_numbers_the_probe_caller_and_too_long_lists_are_refused_and_nothing_changes_BF_10_FN_12(string backend)
    {
        await using var harness = await HarnessAsync(backend);
        var created = await harness.Contracts.CreateAsync(
            ContractSamples.Monitored() with { Screening = new ScreeningSettings { NuisanceCallers = ["0311112222"] } }, CancellationToken.None);

        var invalid = await Assert.ThrowsAsync<ContractRuleException>(() => harness.Contracts.SetScreeningAsync(
            created.Id, new ScreeningSettings { RejectAnonymous = true, NuisanceCallers = ["0322223333", "anonymous", "12345"] }, CancellationToken.None));
        Assert.Equal(
            [("screening.nuisanceCallers[1]", "format"), ("screening.nuisanceCallers[2]", "format")],
            invalid.Violations.Select(v => (v.Field, v.Rule)));

        // FN-12: the probe's caller number in another notation is still the probe's caller number.
        var probe = await Assert.ThrowsAsync<ContractRuleException>(() => harness.Contracts.SetScreeningAsync(
            created.Id, new ScreeningSettings { NuisanceCallers = ["0322223333", "050-1234-5678"] }, CancellationToken.None));
        Assert.Equal(("screening.nuisanceCallers[1]", "FN-12"), (probe.Violations[0].Field, probe.Violations[0].Rule));

        var tooMany = Enumerable.Range(0, 1001).Select(i => $"0901000{i:D4}").ToList();
        var refused = await Assert.ThrowsAsync<ContractRuleException>(() => harness.Contracts.SetScreeningAsync(
            created.Id, new ScreeningSettings { NuisanceCallers = tooMany }, CancellationToken.None));
        Assert.Equal(("screening.nuisanceCallers", "range"), (refused.Violations[0].Field, refused.Violations[0].Rule));

        var stored = await harness.Contracts.GetAsync(created.Id, CancellationToken.None);
        Assert.False(stored!.Screening.RejectAnonymous);
        Assert.Equal(["0311112222"], stored.Screening.NuisanceCallers);

        // The limit itself is fine.
        var full = await harness.Contracts.SetScreeningAsync(created.Id, new ScreeningSettings { NuisanceCallers = tooMany[..1000] }, CancellationToken.None);
        Assert.Equal(1000, full!.Screening.NuisanceCallers.Count);
        Assert.Equal(1000, (await EdgeNuisanceAsync(harness)).Count);
    }

    private static string Field(string keyValue, int index) => keyValue.Split('|')[index];

    private static Task<string> EdgeContractAsync(ControllerHarness harness, long contractId) =>
        harness.Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT key_value FROM edge_contracts WHERE key_name = @k");
                command.AddParameter("@k", contractId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return (string)(await command.ExecuteScalarAsync(CancellationToken.None))!;
            },
            CancellationToken.None);

    private static Task<List<string>> EdgeNuisanceAsync(ControllerHarness harness) =>
        harness.Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT key_name, key_value FROM edge_nuisance");
                await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                var rows = new List<string>();
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    Assert.Equal("1", reader.GetString(1));
                    rows.Add(reader.GetString(0));
                }

                rows.Sort(StringComparer.Ordinal);
                return rows;
            },
            CancellationToken.None);
}
