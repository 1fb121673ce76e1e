using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// BF-12: the destination table as CSV ("source","destination", CR+LF), round-trip safe, in the encodings and forms
/// customers' spreadsheets and browsers send; BF-16: what is stored, or would be (dry run), is shown normalised.
/// </summary>
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
    [InlineData("\"0710345678\"x,0355550000\r\n", "csv[1]", "BF-12")]
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

    [Theory]
    [InlineData(null, "utf-8", false)]
    [InlineData("utf-8", "utf-8", false)]
    [InlineData("utf-8-bom", "utf-8", true)]
    [InlineData("shift_jis", "shift_jis", false)]
    public async Task Download_is_an_attachment_in_the_asked_encoding_and_uploads_back_to_the_same_table_BF_12(
        string? encoding, string charset, bool mark)
    {
        var (client, contract) = await CreateAsync("07111");
        using (client)
        {
            var query = encoding is null ? "" : $"?encoding={encoding}";
            var download = await client.GetAsync(At($"/api/contracts/{contract.Id}/destinations.csv{query}"));

            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(charset, download.Content.Headers.ContentType?.CharSet);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("destinations-0711145678.csv", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var bytes = await download.Content.ReadAsByteArrayAsync();
            Assert.Equal(mark, bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]));

            // Change the table, then upload the file as downloaded: the table is back as it was.
            var before = await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations"));
            var other = await client.PutAsJsonAsync(
                At($"/api/contracts/{contract.Id}/destinations"), new List<DestinationEntry> { new("0711145679", "0355550000") });
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);

            var upload = new ByteArrayContent(bytes);
            upload.Headers.ContentType = new("text/csv");
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), upload)).StatusCode);
            Assert.Equal(before, await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")));
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
        }
    }

    [Fact]
    public async Task Download_refuses_an_unknown_encoding_BF_12()
    {
        var (client, contract) = await CreateAsync("07112");
        using (client)
        {
            var response = await client.GetAsync(At($"/api/contracts/{contract.Id}/destinations.csv?encoding=latin1"));

            await ContractApiValidationTests.AssertProblemAsync(response, "encoding", "BF-12");
        }
    }

    [Fact]
    public async Task A_dry_run_shows_the_normalised_changes_and_changes_nothing_BF_16()
    {
        var (client, contract) = await CreateAsync("07113");
        using (client)
        {
            // Stored: 0711345678 -> 09012345678, 0711345679 -> 0667891234.
            var before = await client.GetStringAsync(At($"/api/contracts/{contract.Id}"));
            const string Change = "0711345679,03-5555-0000\r\n０７１１３４５６７８,０９０－１２３４－５６７８\r\n"; // out of order: the preview lists the stored order
            const string Removal = "０７１１３４５６７８,０９０－１２３４－５６７８\r\n0711345679,\r\n";

            var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv?dryRun=true"), Csv(Change));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var preview = (await response.Content.ReadFromJsonAsync<DestinationPreview>())!;
            Assert.Empty(preview.Added);
            Assert.Equal([new DestinationChange("0711345679", "0667891234", "0355550000")], preview.Changed);
            Assert.Empty(preview.Removed);
            Assert.Equal(1, preview.Unchanged);
            Assert.Equal([new("0711345678", "09012345678"), new("0711345679", "0355550000")], preview.Destinations);

            var removal = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv?dryRun=true"), Csv(Removal));
            var removed = (await removal.Content.ReadFromJsonAsync<DestinationPreview>())!;
            Assert.Equal([new DestinationChange("0711345679", "0667891234", null)], removed.Removed);

            var added = await client.PutAsync(
                At($"/api/contracts/{contract.Id}/destinations.csv?dryRun=true"), Csv(Removal + "0711345670,0355550001\r\n"));
            await ContractApiValidationTests.AssertProblemAsync(added, "csv[3].source", "BF-14"); // a dry run checks the rules too

            Assert.Equal(before, await client.GetStringAsync(At($"/api/contracts/{contract.Id}")));
        }
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x2C, 0x0D, 0x0A })]
    public async Task An_upload_without_data_rows_is_refused_and_the_table_kept_BF_12(byte[] body)
    {
        var (client, contract) = await CreateAsync("07114");
        using (client)
        {
            var upload = new ByteArrayContent(body);
            upload.Headers.ContentType = new("text/csv");

            var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), upload);

            await ContractApiValidationTests.AssertProblemAsync(response, "csv", "BF-12");
            Assert.Contains("no data rows", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(2, (await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!.Count);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
        }
    }

    [Fact]
    public async Task Clearing_the_table_takes_delete_not_an_upload_of_empty_destinations_BF_12()
    {
        var (client, contract) = await CreateAsync("07115");
        using (client)
        {
            var blank = await client.PutAsync(
                At($"/api/contracts/{contract.Id}/destinations.csv"), Csv("0711545678,\r\n0711545679,\r\n0711545670,\r\n"));
            await ContractApiValidationTests.AssertProblemAsync(blank, "csv", "BF-12");
            using (var problem = JsonDocument.Parse(await blank.Content.ReadAsStringAsync()))
            {
                Assert.Contains($"DELETE /api/contracts/{contract.Id}/destinations", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            Assert.Equal(2, (await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!.Count);

            var cleared = await client.DeleteAsync(At($"/api/contracts/{contract.Id}/destinations"));
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
            Assert.Empty((await cleared.Content.ReadFromJsonAsync<ContractRecord>())!.Destinations);

            // An empty table downloaded and uploaded back is no change, so it is fine.
            var csv = await client.GetStringAsync(At($"/api/contracts/{contract.Id}/destinations.csv"));
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), Csv(csv))).StatusCode);
        }
    }
}
