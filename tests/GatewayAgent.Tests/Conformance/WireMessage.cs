using System.Globalization;
using System.Text;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// A SIP message as the test reads it off the wire: the start line and the header fields (unfolded, compact names
/// expanded). Deliberately independent of the agent's own parser, so that a parser bug cannot hide itself.
/// </summary>
internal sealed class WireMessage
{
    private static readonly Dictionary<string, string> CompactNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["v"] = "Via", ["f"] = "From", ["t"] = "To", ["i"] = "Call-ID", ["m"] = "Contact", ["l"] = "Content-Length",
        ["c"] = "Content-Type", ["k"] = "Supported", ["s"] = "Subject", ["e"] = "Content-Encoding",
    };

    private readonly List<KeyValuePair<string, string>> _headers;

    private WireMessage(string startLine, List<KeyValuePair<string, string>> headers, byte[] raw)
    {
        StartLine = startLine;
        _headers = headers;
        Raw = raw;
        var parts = startLine.Split(' ', 3);
        if (startLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && parts.Length >= 2 &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            StatusCode = code;
            ReasonPhrase = parts.Length > 2 ? parts[2] : "";
        }
        else
        {
            Method = parts[0];
        }
    }

    public string StartLine { get; }

    public byte[] Raw { get; }

    /// <summary>The status code of a response; 0 for a request.</summary>
    public int StatusCode { get; }

    public string ReasonPhrase { get; } = "";

    /// <summary>The method of a request; null for a response.</summary>
    public string? Method { get; }

    public bool IsResponse => StatusCode != 0;

    public bool IsFinal => StatusCode >= 200;

    public string? CallId => this["Call-ID"];

    /// <summary>The method named in CSeq ("1 INVITE" → INVITE).</summary>
    public string? CSeqMethod => this["CSeq"]?.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries) is [_, var method, ..] ? method : null;

    public string? this[string name] => _headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> GetAll(string name) =>
        _headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>The header fields in order, as name: value lines (for copying Via, From, To... into an answer).</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>Reads a datagram (or a message cut from a stream); null when it has no start line at all.</summary>
    public static WireMessage? TryParse(ReadOnlySpan<byte> data)
    {
        var text = Encoding.Latin1.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var lines = head.Split("\r\n");
        if (lines.Length == 0 || lines[0].Length == 0)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            headers.Add(new(CompactNames.GetValueOrDefault(name, name), line[(colon + 1)..].Trim()));
        }

        return new WireMessage(lines[0], headers, data.ToArray());
    }

    public override string ToString() => Encoding.Latin1.GetString(Raw);
}
