using System.Net;
using System.Net.Http.Json;
using System.Text;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// BF-12 uploads as customers send them: Excel's Shift_JIS and UTF-8 (with its byte-order mark), UTF-16, bare rows,
/// full-width numbers, a browser's multipart form; unreadable bytes and oversized bodies refused, while reading.
/// </summary>
[Trait("Ring", "integration")]
public sealed class DestinationCsvUploadApiTests(ControllerApiFactory factory) : IClassFixture<ControllerApiFactory>
{
    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    private static Uri At(string path) => new(path, UriKind.Relative);

    private async Task<(HttpClient Client, ContractRecord Contract)> CreateAsync(string prefix)
    {
        var client = factory.CreateOperatorClient();
        var response = await client.PostAsJsonAsync(At("/api/contracts"), ContractSamples.Monitored(prefix));
        return (client, (await response.Content.ReadFromJsonAsync<ContractRecord>())!);
    }

    private static ByteArrayContent Body(byte[] bytes, string type = "text/csv")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new(type);
        return content;
    }

    /// <summary>The table "(prefix)45678 → 090-1234-5678 in full width, (prefix)45679 → none", bare, as Excel saves it.</summary>
    private static string FullWidthTable(string prefix) =>
        $"{ToFullWidth(prefix)}４５６７８,０９０－１２３４－５６７８\r\n{prefix}45679,\r\n{prefix}45670,\r\n";

    private static string ToFullWidth(string digits) => new([.. digits.Select(c => (char)(c - '0' + '０'))]);

    public static TheoryData<string, string> Encodings => new()
    {
        { "shift_jis", "07121" },
        { "utf-8", "07122" },
        { "utf-8 with BOM", "07123" },
        { "utf-16le with BOM", "07124" },
        { "utf-16be with BOM", "07125" },
    };

    private static byte[] Encode(string text, string encoding) => encoding switch
    {
        "shift_jis" => ShiftJis.GetBytes(text),
        "utf-8" => Encoding.UTF8.GetBytes(text),
        "utf-8 with BOM" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        "utf-16le with BOM" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
        _ => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Each_encoding_uploads_and_the_answer_shows_the_normalised_table_BF_12_BF_16(string encoding, string prefix)
    {
        var (client, contract) = await CreateAsync(prefix);
        using (client)
        {
            var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), Body(Encode(FullWidthTable(prefix), encoding)));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stored = (await response.Content.ReadFromJsonAsync<ContractRecord>())!;
            Assert.Equal([new DestinationEntry($"{prefix}45678", "09012345678")], stored.Destinations);
        }
    }

    [Fact]
    public async Task The_encoding_query_overrides_the_detection_BF_12()
    {
        var (client, contract) = await CreateAsync("07126");
        using (client)
        {
            var sjis = ShiftJis.GetBytes(FullWidthTable("07126"));

            var wrong = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv?encoding=utf-8"), Body(sjis));
            await ContractApiValidationTests.AssertProblemAsync(wrong, "csv", "BF-12");

            var right = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv?encoding=shift_jis"), Body(sjis, "application/octet-stream"));
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);

            var unknown = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv?encoding=euc-jp"), Body(sjis));
            await ContractApiValidationTests.AssertProblemAsync(unknown, "encoding", "BF-12");
        }
    }

    [Fact]
    public async Task Bytes_that_are_neither_utf8_nor_shift_jis_are_refused_with_the_reason_BF_12()
    {
        var (client, contract) = await CreateAsync("07127");
        using (client)
        {
            var response = await client.PutAsync(
                At($"/api/contracts/{contract.Id}/destinations.csv"), Body([.. "0712745678,"u8, 0x82, 0xFF, 0x0D, 0x0A]));

            await ContractApiValidationTests.AssertProblemAsync(response, "csv", "BF-12");
            Assert.Contains("neither UTF-8 nor Shift_JIS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(2, (await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!.Count);
        }
    }

    [Theory]
    [InlineData("destinations.csv")]
    [InlineData("転送先一覧 (1).csv")]
    public async Task A_multipart_form_with_a_file_field_uploads_whatever_the_file_name_BF_12(string fileName)
    {
        var (client, contract) = await CreateAsync("07128");
        using (client)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent("ignored"), "note" },
                { Body(ShiftJis.GetBytes(FullWidthTable("07128")), "text/csv"), "file", fileName },
            };

            var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), form);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([new DestinationEntry("0712845678", "09012345678")], (await response.Content.ReadFromJsonAsync<ContractRecord>())!.Destinations);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
        }
    }

    [Fact]
    public async Task A_multipart_form_without_a_file_field_is_refused_BF_12()
    {
        var (client, contract) = await CreateAsync("07129");
        using (client)
        {
            using var form = new MultipartFormDataContent { { Body("0712945678,0355550000\r\n"u8.ToArray()), "upload", "table.csv" } };

            var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), form);

            await ContractApiValidationTests.AssertProblemAsync(response, "csv", "BF-12");
            using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains("field named \"file\"", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    /// <summary>A table the controller would accept, padded past 1 MiB with blank rows (which it skips).</summary>
    private static byte[] Oversized(string prefix) =>
        Encoding.ASCII.GetBytes($"{prefix}45678,0355550000\r\n" + string.Concat(Enumerable.Repeat("\r\n", (CsvLimit / 2) + 1)));

    private const int CsvLimit = 1 << 20;

    public static TheoryData<string> Forms => ["content-length", "chunked", "multipart"];

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_body_over_1_MiB_is_refused_while_it_is_read_and_nothing_changes_BF_12(string form)
    {
        var (client, contract) = await CreateAsync("07130");
        using (client)
        {
            var bytes = Oversized("07130");
            HttpContent content = form switch
            {
                "content-length" => Body(bytes),
                "chunked" => new UnknownLengthContent(bytes),
                _ => new MultipartFormDataContent { { new UnknownLengthContent(bytes), "file", "big.csv" } },
            };

            using (content)
            {
                var response = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), content);

                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)response.StatusCode}: {text}");
                Assert.Contains("\"rule\":\"BF-12\"", text, StringComparison.Ordinal);
            }

            Assert.Equal(2, (await client.GetFromJsonAsync<List<DestinationEntry>>(At($"/api/contracts/{contract.Id}/destinations")))!.Count);

            // The same table without the padding is accepted: the limit, not the content, refused it.
            var small = await client.PutAsync(At($"/api/contracts/{contract.Id}/destinations.csv"), Body("0713045678,0355550000\r\n"u8.ToArray()));
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(At($"/api/contracts/{contract.Id}"))).StatusCode);
        }
    }

    /// <summary>
    /// A body sent without Content-Length (chunked on a real connection; the in-memory test server may still learn its
    /// length — <see cref="CsvUploadTests"/> proves the count while reading on a stream without one).
    /// </summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new("text/csv");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 64 << 10)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(64 << 10, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
