using System.Text;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// BF-12: the character encodings of the destination CSV, as customers' spreadsheets write them. Upload: a byte-order
/// mark decides (UTF-8, UTF-16 LE/BE; UTF-32 is refused); without one the bytes are read as strict UTF-8, and when they
/// are not UTF-8, as strict Shift_JIS (code page 932, what Excel's "CSV (comma delimited)" writes on Japanese Windows).
/// Bytes that neither reads are refused with the reason, never guessed into replacement characters. A requested
/// encoding (<c>utf-8</c>, <c>utf-8-bom</c>, <c>shift_jis</c>) replaces the detection. Download: UTF-8 without a mark
/// (default), UTF-8 with a mark (<c>utf-8-bom</c>), or Shift_JIS.
/// </summary>
public static class CsvTextEncoding
{
    public const string Utf8 = "utf-8";
    public const string Utf8Bom = "utf-8-bom";
    public const string ShiftJis = "shift_jis";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Code page 932 (Windows-31J, the Shift_JIS Excel writes, with the NEC and IBM extensions), throwing on bytes and
    /// characters it has no mapping for. From the runtime's code-pages provider, not the registered encodings.
    /// </summary>
    private static readonly Encoding StrictShiftJis = CodePagesEncodingProvider.Instance.GetEncoding(
        932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
        ?? throw new InvalidOperationException("code page 932 (Shift_JIS) is not available");

    /// <summary>The canonical name of a requested encoding (null: detect/default), or null with <paramref name="problem"/> set when unknown.</summary>
    public static string? Canonical(string? requested, out string? problem)
    {
        problem = null;
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "":
                return null;
            case "utf-8" or "utf8":
                return Utf8;
            case "utf-8-bom" or "utf8-bom":
                return Utf8Bom;
            case "shift_jis" or "shift-jis" or "sjis" or "cp932" or "windows-31j":
                return ShiftJis;
            default:
                problem = $"unknown encoding \"{requested}\": use {Utf8}, {Utf8Bom} or {ShiftJis}";
                return null;
        }
    }

    /// <summary>
    /// The text of an uploaded file and the encoding it was read in, or why it cannot be read. A byte-order mark is
    /// not part of the text. <paramref name="requested"/> is a canonical name from <see cref="Canonical"/> or null.
    /// </summary>
    public static (string? Text, string Encoding, string? Problem) Decode(ReadOnlySpan<byte> bytes, string? requested)
    {
        if (requested is ShiftJis)
        {
            return TryDecode(StrictShiftJis, bytes, out var text)
                ? (text, ShiftJis, null)
                : (null, ShiftJis, "the file is not Shift_JIS (encoding=shift_jis was requested)");
        }

        if (requested is Utf8 or Utf8Bom)
        {
            var body = bytes.StartsWith(Utf8Mark) ? bytes[Utf8Mark.Length..] : bytes;
            return TryDecode(StrictUtf8, body, out var text)
                ? (text, Utf8, null)
                : (null, Utf8, "the file is not UTF-8 (encoding=utf-8 was requested)");
        }

        if (bytes.StartsWith(Utf32LittleEndianMark) || bytes.StartsWith(Utf32BigEndianMark))
        {
            return (null, "utf-32", "the file is UTF-32 (by its byte-order mark): save it as UTF-8 or Shift_JIS");
        }

        if (bytes.StartsWith(Utf8Mark))
        {
            return TryDecode(StrictUtf8, bytes[Utf8Mark.Length..], out var text)
                ? (text, Utf8, null)
                : (null, Utf8, "the file starts with a UTF-8 byte-order mark but is not UTF-8");
        }

        if (bytes.StartsWith(Utf16LittleEndianMark) || bytes.StartsWith(Utf16BigEndianMark))
        {
            var bigEndian = bytes.StartsWith(Utf16BigEndianMark);
            var name = bigEndian ? "utf-16be" : "utf-16le";
            return TryDecode(new UnicodeEncoding(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true), bytes[2..], out var text)
                ? (text, name, null)
                : (null, name, $"the file starts with a UTF-16 byte-order mark but is not {(bigEndian ? "UTF-16BE" : "UTF-16LE")}");
        }

        if (TryDecode(StrictUtf8, bytes, out var utf8))
        {
            return (utf8, Utf8, null);
        }

        return TryDecode(StrictShiftJis, bytes, out var shiftJis)
            ? (shiftJis, ShiftJis, null)
            : (null, "unknown", "the file is neither UTF-8 nor Shift_JIS: save it as \"CSV UTF-8\" or \"CSV (comma delimited)\"");
    }

    /// <summary>The download's bytes and its Content-Type charset for a canonical name from <see cref="Canonical"/> (null = UTF-8 without a mark).</summary>
    public static (byte[] Bytes, string Charset) Encode(string text, string? encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        return encoding switch
        {
            ShiftJis => (StrictShiftJis.GetBytes(text), "shift_jis"),
            Utf8Bom => ([.. Utf8Mark, .. StrictUtf8.GetBytes(text)], "utf-8"),
            _ => (StrictUtf8.GetBytes(text), "utf-8"),
        };
    }

    private static ReadOnlySpan<byte> Utf8Mark => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf16LittleEndianMark => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BigEndianMark => [0xFE, 0xFF];

    private static ReadOnlySpan<byte> Utf32LittleEndianMark => [0xFF, 0xFE, 0x00, 0x00];

    private static ReadOnlySpan<byte> Utf32BigEndianMark => [0x00, 0x00, 0xFE, 0xFF];

    private static bool TryDecode(Encoding encoding, ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = encoding.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }
}
