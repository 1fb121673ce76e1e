using System.Globalization;
using System.Text;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Parsing;

/// <summary>
/// Parses one framed SIP message (a datagram, or a message cut from a stream by <see cref="Transport.SipStreamFramer"/>).
/// Never throws for any input: bad input yields <see cref="SipParseStatus.Invalid"/> (answerable with a 4xx/5xx) or
/// <see cref="SipParseStatus.Unparseable"/> (drop it).
/// </summary>
public static class SipParser
{
    private static readonly SipUri PlaceholderUri = SipUri.Create("sip", null, "invalid");

    public static SipParseResult Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            return ParseCore(data);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException or DecoderFallbackException)
        {
            // Defence in depth: the parser is written not to throw; a bug here must cost one message, not the process.
            return SipParseResult.Unparseable("parser fault: " + ex.GetType().Name);
        }
    }

    public static SipParseResult Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data)
    {
        // Leading CRLFs are keep-alives or stream noise (RFC 3261 §7.5).
        var skip = 0;
        while (skip < data.Length && data[skip] is (byte)'\r' or (byte)'\n')
        {
            skip++;
        }

        data = data[skip..];
        if (data.IsEmpty)
        {
            return SipParseResult.Unparseable("empty message");
        }

        var headerEnd = FindHeaderEnd(data, out var bodyStart);
        if (headerEnd < 0)
        {
            return SipParseResult.Unparseable("no blank line after the headers");
        }

        string headerText;
        try
        {
            headerText = StrictUtf8.GetString(data[..headerEnd]);
        }
        catch (DecoderFallbackException)
        {
            return SipParseResult.Unparseable("header section is not UTF-8");
        }

        var lines = Unfold(headerText);
        if (lines.Count == 0)
        {
            return SipParseResult.Unparseable("no start line");
        }

        var message = ParseStartLine(lines[0], out var startLineError, out var startLineCode);
        if (message is null)
        {
            return SipParseResult.Unparseable(startLineError ?? "malformed start line");
        }

        string? headerError = null;
        var parts = new List<string>(4);
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            var colon = line.IndexOf(':');
            var name = colon > 0 ? line.AsSpan(0, colon).TrimEnd() : default;
            if (colon <= 0 || !SipSyntax.IsToken(name))
            {
                headerError ??= "malformed header line";
                continue;
            }

            var canonical = HeaderNames.Normalize(name.ToString());
            var value = line.AsSpan(colon + 1).Trim().ToString();
            if (HeaderNames.IsSplitList(canonical) && value != "*")
            {
                parts.Clear();
                if (!SipSyntax.TrySplitList(value, parts) || parts.Exists(p => p.Length == 0))
                {
                    headerError ??= $"malformed {canonical} list";
                    message.Headers.Add(canonical, value);
                    continue;
                }

                foreach (var part in parts)
                {
                    message.Headers.Add(canonical, part);
                }
            }
            else
            {
                message.Headers.Add(canonical, value);
            }
        }

        // Body framing (RFC 3261 §18.3): Content-Length wins; octets beyond it in a datagram are ignored.
        var available = data[bodyStart..];
        string? bodyError = null;
        var lengths = message.Headers.CountOf(HeaderNames.ContentLength);
        if (lengths == 0)
        {
            message.Body = available.ToArray();
        }
        else if (lengths > 1)
        {
            bodyError = "multiple Content-Length values";
        }
        else if (!TryParseContentLength(message.Headers[HeaderNames.ContentLength]!, out var length))
        {
            bodyError = "invalid Content-Length";
        }
        else if (length > available.Length)
        {
            bodyError = "Content-Length larger than the body";
            message.Body = available.ToArray();
        }
        else
        {
            message.Body = available[..length].ToArray();
        }

        string? error = startLineError ?? headerError ?? bodyError;
        var code = startLineCode != 0 ? startLineCode : 400;
        if (error is null)
        {
            var verdict = SipMessageValidator.Validate(message);
            if (verdict is { } v)
            {
                code = v.StatusCode;
                error = v.Reason;
            }
        }

        if (error is null)
        {
            return SipParseResult.Valid(message);
        }

        // An error response is routed by the top Via (RFC 3261 §18.2.2): without one that parses, drop the message.
        var respondable = message.Headers[HeaderNames.Via] is { } topVia && ViaHeader.TryParse(topVia, out _);
        return respondable && message is SipRequest
            ? SipParseResult.Invalid(message, code, error)
            : message is SipResponse && respondable
                ? SipParseResult.Invalid(message, 0, error)
                : SipParseResult.Unparseable(error);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static int FindHeaderEnd(ReadOnlySpan<byte> data, out int bodyStart)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            bodyStart = crlf + 4;
            return crlf;
        }

        if (lf >= 0)
        {
            bodyStart = lf + 2;
            return lf;
        }

        bodyStart = 0;
        return -1;
    }

    // Splits into lines (CRLF, or bare LF), joining continuation lines (leading SP/HT) with one space (RFC 3261 §7.3.1).
    private static List<string> Unfold(string text)
    {
        var lines = new List<string>(24);
        var sb = new StringBuilder();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan()[range];
            if (line.EndsWith("\r"))
            {
                line = line[..^1];
            }

            if (line.Length > 0 && SipSyntax.IsWhitespace(line[0]) && lines.Count > 0)
            {
                lines[^1] = lines[^1].TrimEnd() + " " + line.Trim().ToString();
                continue;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    private static SipMessage? ParseStartLine(string line, out string? error, out int code)
    {
        error = null;
        code = 0;
        if (line.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            return ParseStatusLine(line, ref error);
        }

        var firstSpace = line.IndexOf(' ');
        if (firstSpace <= 0 || !SipSyntax.IsToken(line.AsSpan(0, firstSpace)))
        {
            error = "malformed request line";
            return null;
        }

        var method = line[..firstSpace];
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            error = "malformed request line: expected 'Method SP Request-URI SP SIP-Version'";
            code = 400;
            return new SipRequest(method, PlaceholderUri);
        }

        if (!IsVersion(parts[2]))
        {
            error = "malformed SIP version";
            code = 400;
            return new SipRequest(method, PlaceholderUri);
        }

        if (!SipUri.TryParse(parts[1], out var uri, out var uriError))
        {
            error = "invalid Request-URI: " + uriError;
            code = 400;
            return new SipRequest(method, PlaceholderUri);
        }

        var request = new SipRequest(method, uri) { Version = parts[2].ToUpperInvariant() };
        if (uri.Headers is not null && uri.Scheme is "sip" or "sips")
        {
            error = "headers are not allowed in a Request-URI";
            code = 400;
        }
        else if (!string.Equals(parts[2], SipMessage.SipVersion, StringComparison.OrdinalIgnoreCase))
        {
            error = "SIP version not supported";
            code = 505;
        }

        return request;
    }

    private static SipResponse? ParseStatusLine(string line, ref string? error)
    {
        var firstSpace = line.IndexOf(' ');
        if (firstSpace < 0 || !IsVersion(line[..firstSpace]))
        {
            error = "malformed status line";
            return null;
        }

        var rest = line.AsSpan(firstSpace + 1);
        var codeEnd = rest.IndexOf(' ');
        var codeText = codeEnd < 0 ? rest : rest[..codeEnd];
        if (codeText.Length != 3 || !int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ||
            status is < 100 or > 699)
        {
            error = "malformed status code";
            return null;
        }

        var reason = codeEnd < 0 ? "" : rest[(codeEnd + 1)..].ToString();
        if (!string.Equals(line[..firstSpace], SipMessage.SipVersion, StringComparison.OrdinalIgnoreCase))
        {
            error = "SIP version not supported";
        }

        return new SipResponse(status, reason);
    }

    private static bool IsVersion(string s)
    {
        // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT
        if (s.Length < 7 || !s.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var dot = s.IndexOf('.', 4);
        return dot > 4 && dot < s.Length - 1 && s.AsSpan(4, dot - 4).IndexOfAnyExceptInRange('0', '9') < 0 &&
            s.AsSpan(dot + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    internal static bool TryParseContentLength(string value, out int length) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length);
}
