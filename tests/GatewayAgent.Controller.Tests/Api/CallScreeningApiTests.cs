using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// BF-10 call screening through the API (GET/PUT .../screening and the contract body), down to the edge's views, on
/// every storage backend: the real host on SQLite, and on PostgreSQL when it is installed.
/// </summary>
[Trait("Ring", "integration")]
[Collection(StorageCollection.Name)]
public class CallScreeningApiTests(ControllerApiFactory factory, PostgresCluster cluster) : IClassFixture<ControllerApiFactory>
{
    /// <summary>The host's Controller:Probing:CallerNumber in these tests (FN-12).</summary>
    private const string ProbeCaller = "05012345678";

    private static readonly Uri Contracts = new("/api/contracts", UriKind.Relative);

    public static TheoryData<string> Backends => Storage.Backends.All;

    private static Uri At(string path) => new(path, UriKind.Relative);

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Screening_is_set_read_and_shown_to_the_edge_BF_10(string backend)
    {
        await using var host = await HostAsync(backend);
        using var client = OperatorClient(host);
        var contract = (await (await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06301"))).Content.ReadFromJsonAsync<ContractRecord>())!;
        Assert.Equal(new ScreeningSettings().RejectAnonymous, contract.Screening.RejectAnonymous);
        Assert.Empty(contract.Screening.NuisanceCallers);

        var put = await client.PutAsJsonAsync(
            At($"/api/contracts/{contract.Id}/screening"),
            new { rejectAnonymous = true, nuisanceCallers = new[] { "090-1111-2222", "+81 90 1111 2222", "03-1111-2222" } });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var screening = await client.GetFromJsonAsync<ScreeningSettings>(At($"/api/contracts/{contract.Id}/screening"));
        Assert.True(screening!.RejectAnonymous);
        Assert.Equal(["0311112222", "09011112222"], screening.NuisanceCallers); // normalised, the duplicate collapsed
        var record = await client.GetFromJsonAsync<ContractRecord>(At($"/api/contracts/{contract.Id}"));
        Assert.Equal(screening.NuisanceCallers, record!.Screening.NuisanceCallers);

        // What kamailio loads (docs/routing.md): ctr's third field, and one nui row per listed caller.
        var database = host.Services.GetRequiredService<ControllerDatabase>();
        var (contractValue, nuisance) = await ReadEdgeAsync(database, contract.Id);
        Assert.Equal("1", contractValue.Split('|')[2]);
        Assert.Equal([$"{contract.Id}:0311112222", $"{contract.Id}:09011112222"], nuisance);

        // A PUT of the whole contract sets it too (the record's body round-trips).
        var replaced = await client.PutAsJsonAsync(
            At($"/api/contracts/{contract.Id}"),
            record.ToDefinition() with { Screening = new ScreeningSettings { RejectAnonymous = false, NuisanceCallers = ["0322223333"] } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        (contractValue, nuisance) = await ReadEdgeAsync(database, contract.Id);
        Assert.Equal("0", contractValue.Split('|')[2]);
        Assert.Equal([$"{contract.Id}:0322223333"], nuisance);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(At("/api/contracts/999999/screening"))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Invalid_callers_the_probe_caller_and_too_long_lists_are_a_400_naming_the_field_BF_10_FN_12(string backend)
    {
        await using var host = await HostAsync(backend);
        using var client = OperatorClient(host);
        var contract = (await (await client.PostAsJsonAsync(
            Contracts,
            ContractSamples.Monitored("06302") with { Screening = new ScreeningSettings { NuisanceCallers = ["0311112222"] } })).Content.ReadFromJsonAsync<ContractRecord>())!;
        var screening = At($"/api/contracts/{contract.Id}/screening");

        await ContractApiValidationTests.AssertProblemAsync(
            await client.PutAsJsonAsync(screening, new { rejectAnonymous = true, nuisanceCallers = new[] { "0322223333", "anonymous" } }),
            "screening.nuisanceCallers[1]",
            "format");
        await ContractApiValidationTests.AssertProblemAsync(
            await client.PutAsJsonAsync(screening, new { nuisanceCallers = new[] { "050-1234-5678" } }),
            "screening.nuisanceCallers[0]",
            "FN-12");
        await ContractApiValidationTests.AssertProblemAsync(
            await client.PutAsJsonAsync(screening, new { nuisanceCallers = Enumerable.Range(0, 1001).Select(i => "0901000" + i.ToString("D4", CultureInfo.InvariantCulture)) }),
            "screening.nuisanceCallers",
            "range");
        await ContractApiValidationTests.AssertProblemAsync(
            await client.PostAsJsonAsync(Contracts, ContractSamples.Monitored("06303") with { Screening = new ScreeningSettings { NuisanceCallers = [ProbeCaller] } }),
            "screening.nuisanceCallers[0]",
            "FN-12");

        var stored = await client.GetFromJsonAsync<ScreeningSettings>(screening);
        Assert.False(stored!.RejectAnonymous);
        Assert.Equal(["0311112222"], stored.NuisanceCallers);
    }

    private static async Task<(string Contract, List<string> Nuisance)> ReadEdgeAsync(ControllerDatabase database, long contractId) =>
        await database.ReadAsync(
            async connection =>
            {
                string value;
                await using (var command = connection.CreateCommand(null, "SELECT key_value FROM edge_contracts WHERE key_name = @k"))
                {
                    command.AddParameter("@k", contractId.ToString(CultureInfo.InvariantCulture));
                    value = (string)(await command.ExecuteScalarAsync(CancellationToken.None))!;
                }

                var rows = new List<string>();
                await using (var command = connection.CreateCommand(null, "SELECT key_name FROM edge_nuisance WHERE contract_id = @c"))
                {
                    command.AddParameter("@c", contractId);
                    await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
                    while (await reader.ReadAsync(CancellationToken.None))
                    {
                        rows.Add(reader.GetString(0));
                    }
                }

                rows.Sort(StringComparer.Ordinal);
                return (value, rows);
            },
            CancellationToken.None);

    private static HttpClient OperatorClient(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ControllerApiFactory.ApiKey);
        client.DefaultRequestHeaders.Add("X-Operator", "tester");
        return client;
    }

    /// <summary>The real host with a phone number as the probe caller, on SQLite (the fixture's directory) or a fresh PostgreSQL database.</summary>
    private async Task<WebApplicationFactory<Program>> HostAsync(string backend)
    {
        var connection = backend == Storage.Backends.Postgres ? await cluster.CreateDatabaseAsync() : null;
        return factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Controller:Probing:CallerNumber", ProbeCaller);
            builder.UseSetting("Controller:Mqtt:Listen", $"127.0.0.1:{FreePort.Next()}");
            if (connection is not null)
            {
                builder.UseSetting("Controller:Storage:Provider", "postgres");
                builder.UseSetting("ConnectionStrings:Controller", connection);
            }
        });
    }
}
