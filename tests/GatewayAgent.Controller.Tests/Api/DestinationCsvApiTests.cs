using System.Net;
using System.Net.Http.Json;
using System.Text;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>BF-12: the destination table as CSV ("source","destination", CR+LF), round-trip safe.</summary>
[Trait("Ring", "integration")]
public class DestinationCsvApiTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    private static Uri At(string path) => new(path, UriKind.Relative);

    private async Task<(HttpClient Client, ContractRecord Contract)> CreateAsync(string prefix)
    {
        var client = factory.CreateOperatorClient();
        var response = await client.PostAsJsonAsync(At("/api/contracts"), ContractSamples.Monitored(prefix));
        return (client, (await response.Content.ReadFromJsonAsync<ContractRecord>())!);
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task Download_lists_every_number_quoted_with_crlf_and_uploads_back_unchanged()
    {
        var (client, contract) = await CreateAsync("07101");
        using (client)
        {
            var csv = await client.GetStringAsync(At($"/api/contracts/{contract.Id}/destinations.csv"));
            Assert.Equal("\"0710145678\",\"09012345678\"\r\n\"0710145679\",\"0667891234\"\r\n\"0710145670\",\"\"\r\n", csv);

            var before = await client.GetStringAsync(At($"/api/contracts/{contract.Id}/destinations"));
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), Csv(csv))).StatusCode);
            Assert.Equal(before, await client.GetStringAsync(At($"/api/contracts/{contract.Id}/destinations")));
        }
    }

    [Fact]
    public async Task Upload_replaces_the_table_and_an_empty_destination_removes_one()
    {
        var (client, contract) = await CreateAsync("07102");
        using (client)
        {
            var response = await client.PutAsync(
                At($"/api/contracts/{contract.Id}/destinations.csv"), Csv("\"0710245678\",\"\"\r\n\"071-024-5679\",\"03-5555-0000\"\r\n"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stored = await response.Content.ReadFromJsonAsync<ContractRecord>();
            Assert.Equal([new DestinationEntry("0710245679", "0355550000")], stored!.Destinations);
        }
    }

    [Theory]
    [InlineData("\"0710345678\",\"0355550000\"\n", "csv[1]", "BF-12")]
    [InlineData("0710345678,0355550000\r\n", "csv[1]", "BF-12")]
    [InlineData("\"0710345678\",\"0355550000\"\r\n\"0710345670\",\"0355550001\"\r\n", "csv[2].source", "BF-14")]
    [InlineData("\"0710345679\",\"0120000000\"\r\n", "csv[1].destination", "BF-9")]
    [InlineData("\"0710345678\",\"0355550000\"\r\n\"0710345678\",\"0355550001\"\r\n", "csv[2].source", "BF-2")]
    public async Task A_bad_upload_names_the_line_and_changes_nothing(string csv, string field, string rule)
    {
        var (client, contract) = await CreateAsync("07103");
        using (client)
        {
            var before = await client.GetStringAsync(At($"/api/contracts/{contract.Id}/destinations"));

            var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), Csv(csv));

            await ContractApiValidationTests.AssertProblemAsync(response, field, rule);
            Assert.Equal(before, await client.GetStringAsync(At($"/api/contracts/{contract.Id}/destinations")));
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
        }
    }
}
