using System.Text;
using GatewayAgent.Controller.Customers;

namespace GatewayAgent.Controller.Tests.Customers;

/// <summary>BF-12: the CSV's encodings as spreadsheets write them, detected or requested; unreadable bytes refused, never guessed.</summary>
[Trait("Ring", "unit")]
public sealed class CsvTextEncodingTests
{
    private const string Table = "\"０３１２３４５６７８\",\"０９０－１２３４－５６７８\"\r\n";

    private static readonly Encoding ShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;

    [Fact]
    public void Utf8_without_a_mark_is_read_as_utf8_BF_12()
    {
        var (text, encoding, problem) = CsvTextEncoding.Decode(Encoding.UTF8.GetBytes(Table), null);

        Assert.Equal((Table, "utf-8", (string?)null), (text, encoding, problem));
    }

    [Fact]
    public void Utf8_with_a_mark_is_read_without_it_BF_12()
    {
        var (text, encoding, problem) = CsvTextEncoding.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Table)], null);

        Assert.Equal((Table, "utf-8", (string?)null), (text, encoding, problem));
    }

    [Fact]
    public void Shift_jis_as_excel_writes_it_is_detected_BF_12()
    {
        var bytes = ShiftJis.GetBytes(Table);
        Assert.Equal([0x22, 0x82, 0x4F], bytes[..3]); // "０ is 82 4F: not UTF-8

        var (text, encoding, problem) = CsvTextEncoding.Decode(bytes, null);

        Assert.Equal((Table, "shift_jis", (string?)null), (text, encoding, problem));
    }

    [Theory]
    [InlineData(false, "utf-16le")]
    [InlineData(true, "utf-16be")]
    public void Utf16_with_its_mark_is_read_BF_12(bool bigEndian, string name)
    {
        var utf16 = new UnicodeEncoding(bigEndian, byteOrderMark: true);

        var (text, encoding, problem) = CsvTextEncoding.Decode([.. utf16.GetPreamble(), .. utf16.GetBytes(Table)], null);

        Assert.Equal((Table, name, (string?)null), (text, encoding, problem));
    }

    [Fact]
    public void A_lone_utf16_mark_reads_as_an_empty_text_which_the_parser_finds_no_rows_in_BF_12()
    {
        var (text, _, problem) = CsvTextEncoding.Decode([0xFF, 0xFE], null);

        Assert.Null(problem);
        Assert.Equal(0, DestinationCsv.Parse(text!).Rows);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00 }, "UTF-32")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x30, 0x00, 0x31 }, "UTF-16LE")] // an odd byte count
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x30, 0x82, 0x4F }, "UTF-8")] // a UTF-8 mark before Shift_JIS
    [InlineData(new byte[] { 0x30, 0x31, 0x82, 0xFF, 0x0D, 0x0A }, "neither UTF-8 nor Shift_JIS")]
    public void Bytes_no_encoding_reads_are_refused_with_the_reason_BF_12(byte[] bytes, string reason)
    {
        var (text, _, problem) = CsvTextEncoding.Decode(bytes, null);

        Assert.Null(text);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_requested_encoding_replaces_the_detection_BF_12()
    {
        // Shift_JIS that happens to be valid UTF-8 too ("ﾃｽ" in Shift_JIS is C3 BD, "ý" in UTF-8) reads as requested.
        byte[] bytes = [0x30, 0xC3, 0xBD];
        Assert.Equal("0ý", CsvTextEncoding.Decode(bytes, null).Text);

        Assert.Equal("0ﾃｽ", CsvTextEncoding.Decode(bytes, CsvTextEncoding.ShiftJis).Text);
        Assert.Contains("not UTF-8", CsvTextEncoding.Decode(ShiftJis.GetBytes(Table), CsvTextEncoding.Utf8).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("UTF-8", CsvTextEncoding.Utf8)]
    [InlineData("utf-8-bom", CsvTextEncoding.Utf8Bom)]
    [InlineData("Shift_JIS", CsvTextEncoding.ShiftJis)]
    [InlineData("sjis", CsvTextEncoding.ShiftJis)]
    public void Requested_names_are_known_case_blind(string? requested, string? canonical)
    {
        Assert.Equal(canonical, CsvTextEncoding.Canonical(requested, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_known_ones()
    {
        Assert.Null(CsvTextEncoding.Canonical("latin1", out var problem));
        Assert.Contains("shift_jis", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "utf-8", new byte[] { 0x22, 0x30 })]
    [InlineData(CsvTextEncoding.Utf8Bom, "utf-8", new byte[] { 0xEF, 0xBB, 0xBF, 0x22, 0x30 })]
    [InlineData(CsvTextEncoding.ShiftJis, "shift_jis", new byte[] { 0x22, 0x30 })]
    public void Encode_writes_the_mark_only_when_asked_BF_12(string? encoding, string charset, byte[] start)
    {
        var (bytes, name) = CsvTextEncoding.Encode("\"0312345678\",\"\"\r\n", encoding);

        Assert.Equal(charset, name);
        Assert.Equal(start, bytes[..start.Length]);
        Assert.Equal("\"0312345678\",\"\"\r\n", CsvTextEncoding.Decode(bytes, null).Text);
    }
}
