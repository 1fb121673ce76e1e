using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// Every destination write: BF-16 (the answer shows what was stored, normalised) and BF-5 (while forwarding is on, a
/// request that would leave the contract with no destination is refused unless it says force=true), on every path.
/// </summary>
[Trait("Ring", "integration")]
public sealed class DestinationWriteApiTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    private const string FullWidth = "０９０－１２３４－５６７８";

    private static Uri At(string path) => new(path, UriKind.Relative);

    private async Task<(HttpClient Client, ContractRecord Contract)> CreateAsync(string prefix, bool forwarding)
    {
        var client = factory.CreateOperatorClient();
        var response = await client.PostAsJsonAsync(At("/api/contracts"), ContractSamples.Monitored(prefix));
        var contract = (await response.Content.ReadFromJsonAsync<ContractRecord>())!;
        if (forwarding)
        {
            var started = await client.PostAsJsonAsync(At($"/api/contracts/{contract.Id}/forwarding/start"), new StartForwardingRequest(null));
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        return (client, contract);
    }

    private static async Task<List<DestinationEntry>> StoredAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return [.. JsonSerializer.Deserialize<ContractRecord>(text, JsonSerializerOptions.Web)!.Destinations];
    }

    [Fact]
    public async Task Every_destination_write_answers_with_the_normalised_table_BF_16()
    {
        var (client, contract) = await CreateAsync("07201", forwarding: false);
        using (client)
        {
            var one = await client.PutAsJsonAsync(At($"/api/contracts/{contract.Id}/destinations/０７２０１４５６７９"), new DestinationRequest(FullWidth));
            Assert.Contains(new DestinationEntry("0720145679", "09012345678"), await StoredAsync(one));

            var list = await client.PutAsJsonAsync(
                At($"/api/contracts/{contract.Id}/destinations"), new List<DestinationEntry> { new("072-014-5678", FullWidth) });
            Assert.Equal([new DestinationEntry("0720145678", "09012345678")], await StoredAsync(list));

            var csv = await client.PutAsync(
                At($"/api/contracts/{contract.Id}/destinations.csv"), new StringContent($"\"0720145679\",\"{FullWidth}\"\r\n", System.Text.Encoding.UTF8, "text/csv"));
            Assert.Equal([new DestinationEntry("0720145679", "09012345678")], await StoredAsync(csv));
        }
    }

    private static async Task AssertBusyGuardAsync(HttpResponseMessage response)
    {
        await ContractApiValidationTests.AssertProblemAsync(response, "destinations", "BF-5");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(
            "forwarding is on; calls to numbers without a destination get busy", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_last_destination_while_forwarding_needs_force_BF_5()
    {
        var (client, contract) = await CreateAsync("07202", forwarding: true);
        using (client)
        {
            Assert.Single(await StoredAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations/0720245678")))); // one stays

            await AssertBusyGuardAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations/0720245679")));
            Assert.Single((await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!);

            Assert.Empty(await StoredAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations/0720245679?force=true"))));
        }
    }

    [Fact]
    public async Task Clearing_or_emptying_the_list_while_forwarding_needs_force_BF_5()
    {
        var (client, contract) = await CreateAsync("07203", forwarding: true);
        using (client)
        {
            await AssertBusyGuardAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations")));
            await AssertBusyGuardAsync(await client.PutAsJsonAsync(At($"/api/contracts/{contract.Id}/destinations"), new List<DestinationEntry>()));
            await AssertBusyGuardAsync(await client.PutAsJsonAsync(
                At($"/api/contracts/{contract.Id}"), contract.ToDefinition() with { Destinations = [], SitePassword = null }));
            Assert.Equal(2, (await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!.Count);

            Assert.Empty(await StoredAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations?force=true"))));
            var status = await client.GetFromJsonAsync<ContractStatus>(At($"/api/contracts/{contract.Id}/status"));
            Assert.True(status!.Forwarding.On); // the guard does not touch the switch

            // Forced to none, other changes still go through; adding destinations back too.
            Assert.Single(await StoredAsync(await client.PutAsJsonAsync(
                At($"/api/contracts/{contract.Id}/destinations"), new List<DestinationEntry> { new("0720345678", "0355550000") })));
        }
    }

    [Fact]
    public async Task Dropping_the_numbers_that_have_the_destinations_while_forwarding_needs_force_BF_5()
    {
        var (client, contract) = await CreateAsync("07204", forwarding: true);
        using (client)
        {
            // 0720445678 is the contract number; additional 0720445679 (destination) and 0720445670 (monitoring).
            var drop = new NumbersRequest(["0720445670"], null, null);
            var keepsOne = await client.PutAsJsonAsync(At($"/api/contracts/{contract.Id}/numbers"), drop);
            Assert.Single(await StoredAsync(keepsOne)); // the contract number's destination stays

            await AssertBusyGuardAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations/0720445678")));
            Assert.Single((await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!);
        }

        var (client2, contract2) = await CreateAsync("07205", forwarding: true);
        using (client2)
        {
            await client2.DeleteAsync(At($"/api/contracts/{contract2.Id}/destinations/0720545678"));
            var drop = new NumbersRequest(["0720545670"], null, null); // takes 0720545679, the last destination

            await AssertBusyGuardAsync(await client2.PutAsJsonAsync(At($"/api/contracts/{contract2.Id}/numbers"), drop));
            Assert.Equal(2, (await client2.GetFromJsonAsync<ContractRecord>(At($"/api/contracts/{contract2.Id}")))!.AdditionalNumbers.Count);

            var forced = await client2.PutAsJsonAsync(At($"/api/contracts/{contract2.Id}/numbers?force=true"), drop);
            Assert.Empty(await StoredAsync(forced));
        }
    }

    [Fact]
    public async Task With_forwarding_off_the_table_clears_without_force_BF_5()
    {
        var (client, contract) = await CreateAsync("07206", forwarding: false);
        using (client)
        {
            Assert.Empty(await StoredAsync(await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations"))));
        }
    }
}
