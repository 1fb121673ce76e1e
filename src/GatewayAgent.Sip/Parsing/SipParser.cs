using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Parsing;

/// <summary>
/// Parses one framed SIP message (a datagram, or a message cut from a stream by <see cref="Transport.SipStreamFramer"/>).
/// Never throws for any input: bad input yields <see cref="SipParseStatus.Invalid"/> (answerable with a 4xx/5xx) or
/// <see cref="SipParseStatus.Unparseable"/> (drop it).
/// </summary>
/// <remarks>
/// Works on the bytes: the message keeps one copy of what it was sent, its header values stay slices of that copy
/// until something reads them (<see cref="SipHeaderCollection"/>), and its body is a slice too. Only an unfolded
/// (multi-line) header, a list with Unicode white space at an edge, or an unknown header name makes strings here.
/// </remarks>
public static class SipParser
{
    private static readonly SipUri PlaceholderUri = SipUri.Create("sip", null, "invalid");

    // A list header (Via, Contact, Route, Record-Route) with more values than this is split by the string path.
    private const int MaxListValuesOnStack = 32;

    // A Request-URI up to this long is read from the stack (no string of it is made).
    private const int MaxRequestUriOnStack = 256;

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
        var skip = data.IndexOfAnyExcept((byte)'\r', (byte)'\n');
        if (skip < 0)
        {
            return SipParseResult.Unparseable("empty message");
        }

        data = data[skip..];
        var headerEnd = FindHeaderEnd(data, out var bodyStart);
        if (headerEnd < 0)
        {
            return SipParseResult.Unparseable("no blank line after the headers");
        }

        if (!Utf8.IsValid(data[..headerEnd]))
        {
            return SipParseResult.Unparseable("header section is not UTF-8");
        }

        var source = data.ToArray();
        var lines = new LineReader(source.AsSpan(0, headerEnd));
        if (!lines.Next(out var startLine, out var startFolded))
        {
            return SipParseResult.Unparseable("no start line");
        }

        // The hosts and users of this message, so that one written again (the Request-URI's in To) is one string.
        var strings = default(SipStringCache);
        var message = ParseStartLine(
            startFolded is null ? source.AsSpan(startLine) : Encoding.UTF8.GetBytes(startFolded), ref strings, out var startLineError, out var startLineCode);
        if (message is null)
        {
            return SipParseResult.Unparseable(startLineError ?? "malformed start line");
        }

        var headers = message.Headers;
        // One entry per header line (a list header's extra values grow it).
        headers.SetSource(source, Math.Max(1, source.AsSpan(0, headerEnd).Count((byte)'\n')));
        string? headerError = null;
        while (lines.Next(out var line, out var folded))
        {
            var error = folded is null
                ? AddHeader(headers, source, line.Start.Value, source.AsSpan(line), materialize: false)
                : AddHeader(headers, source, 0, Encoding.UTF8.GetBytes(folded), materialize: true);
            headerError ??= error;
        }

        // Body framing (RFC 3261 §18.3): Content-Length wins; octets beyond it in a datagram are ignored.
        var availableLength = source.Length - bodyStart;
        var bodyLength = availableLength;
        string? bodyError = null;
        var lengths = headers.CountOf(HeaderNames.ContentLength);
        if (lengths > 1)
        {
            bodyError = "multiple Content-Length values";
        }
        else if (lengths == 1)
        {
            headers.TryGetFirstUtf8(HeaderNames.ContentLength, out var lengthText);
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                bodyError = "invalid Content-Length";
                bodyLength = 0;
            }
            else if (length > availableLength)
            {
                bodyError = "Content-Length larger than the body";
            }
            else
            {
                bodyLength = length;
            }
        }

        message.Body = source.AsMemory(bodyStart, bodyLength);
        var messageError = startLineError ?? headerError ?? bodyError;
        var code = startLineCode != 0 ? startLineCode : 400;
        if (messageError is null)
        {
            var verdict = SipMessageValidator.Validate(message, ref strings);
            if (verdict is { } v)
            {
                code = v.StatusCode;
                messageError = v.Reason;
            }
        }

        if (messageError is null)
        {
            return SipParseResult.Valid(message);
        }

        // An error response is routed by the top Via (RFC 3261 §18.2.2): without one that parses, drop the message.
        var respondable = headers[HeaderNames.Via] is { } topVia && ViaHeader.TryParse(topVia, out _);
        return respondable && message is SipRequest
            ? SipParseResult.Invalid(message, code, messageError)
            : message is SipResponse && respondable
                ? SipParseResult.Invalid(message, 0, messageError)
                : SipParseResult.Unparseable(messageError);
    }

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

    // Adds one header line (name ":" value): a list header (Via, Contact, Route, Record-Route) becomes one entry per
    // value. Returns the error when the line or its list is malformed (a malformed list is kept as one value; a line
    // without a name is dropped). The line lies in the source at lineStart, unless materialize: then it is an unfolded
    // copy and its values become strings.
    private static string? AddHeader(SipHeaderCollection headers, byte[] source, int lineStart, ReadOnlySpan<byte> line, bool materialize)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return "malformed header line";
        }

        var nameBytes = TrimEnd(line[..colon]);
        string name;
        if (SipSyntax.IsToken(nameBytes))
        {
            name = HeaderNames.Normalize(nameBytes);
        }
        else
        {
            // Only a name followed by Unicode white space other than SP/HT gets here and may still be a token.
            var text = Encoding.UTF8.GetString(line[..colon]).TrimEnd();
            if (!SipSyntax.IsToken(text))
            {
                return "malformed header line";
            }

            name = HeaderNames.Normalize(text);
        }

        var rawValue = line[(colon + 1)..];
        var lead = CountLeadingWhitespace(rawValue);
        var value = TrimEnd(rawValue[lead..]);
        var valueStart = lineStart + colon + 1 + lead;
        if (HasNonAsciiEdge(value))
        {
            // It may be Unicode white space, which a value does not keep: the string path trims it.
            return AddAsString(headers, name, Encoding.UTF8.GetString(value).Trim());
        }

        if (!HeaderNames.IsSplitList(name) || value is [(byte)'*'])
        {
            AddValue(headers, name, valueStart, value, materialize);
            return null;
        }

        Span<Range> parts = stackalloc Range[MaxListValuesOnStack];
        var count = SplitList(value, parts);
        if (count < 0)
        {
            return AddAsString(headers, name, Encoding.UTF8.GetString(value));
        }

        foreach (var part in parts[..count])
        {
            AddValue(headers, name, valueStart + part.Start.Value, value[part], materialize);
        }

        return null;
    }

    // The string path of a value (and of a list that the byte splitter leaves to it).
    private static string? AddAsString(SipHeaderCollection headers, string name, string value)
    {
        if (!HeaderNames.IsSplitList(name) || value == "*")
        {
            headers.Add(name, value);
            return null;
        }

        var parts = new List<string>(4);
        if (!SipSyntax.TrySplitList(value, parts) || parts.Exists(p => p.Length == 0))
        {
            headers.Add(name, value);
            return $"malformed {name} list";
        }

        foreach (var part in parts)
        {
            headers.Add(name, part);
        }

        return null;
    }

    private static void AddValue(SipHeaderCollection headers, string name, int start, ReadOnlySpan<byte> value, bool materialize)
    {
        if (materialize)
        {
            headers.Add(name, Encoding.UTF8.GetString(value));
        }
        else
        {
            headers.AddRaw(name, start, value.Length);
        }
    }

    // Splits a list value on commas outside quoted strings and angle brackets (as SipSyntax.TrySplitList), into
    // trimmed ranges. Returns -1 when the string path must decide: an open quote or bracket, an empty value, a value
    // with non-ASCII at an edge, or more values than the span holds.
    private static int SplitList(ReadOnlySpan<byte> value, Span<Range> parts)
    {
        var count = 0;
        var inQuotes = false;
        var inBrackets = false;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length)
            {
                var c = value[i];
                if (inQuotes)
                {
                    if (c == (byte)'\\')
                    {
                        i++;
                    }
                    else if (c == (byte)'"')
                    {
                        inQuotes = false;
                    }

                    continue;
                }

                if (c == (byte)'"')
                {
                    inQuotes = true;
                    continue;
                }

                if (c == (byte)'<')
                {
                    inBrackets = true;
                    continue;
                }

                if (c == (byte)'>')
                {
                    inBrackets = false;
                    continue;
                }

                if (c != (byte)',' || inBrackets)
                {
                    continue;
                }
            }

            var end = Math.Min(i, value.Length);
            var part = value[start..end];
            var lead = CountLeadingWhitespace(part);
            var trimmed = TrimEnd(part[lead..]);
            if (trimmed.IsEmpty || HasNonAsciiEdge(trimmed) || count == parts.Length)
            {
                return -1;
            }

            parts[count++] = new Range(start + lead, start + lead + trimmed.Length);
            start = i + 1;
        }

        return inQuotes || inBrackets ? -1 : count;
    }

    private static SipMessage? ParseStartLine(ReadOnlySpan<byte> line, ref SipStringCache strings, out string? error, out int code)
    {
        error = null;
        code = 0;
        if (line.Length >= 4 && Ascii.EqualsIgnoreCase(line[..4], "SIP/"u8))
        {
            return ParseStatusLine(line, ref error);
        }

        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0 || !SipSyntax.IsToken(line[..firstSpace]))
        {
            error = "malformed request line";
            return null;
        }

        var method = MethodName(line[..firstSpace]);
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0 || rest[(secondSpace + 1)..].Contains((byte)' '))
        {
            error = "malformed request line: expected 'Method SP Request-URI SP SIP-Version'";
            code = 400;
            return new SipRequest(method, PlaceholderUri);
        }

        var version = rest[(secondSpace + 1)..];
        if (!IsVersion(version))
        {
            error = "malformed SIP version";
            code = 400;
            return new SipRequest(method, PlaceholderUri);
        }

        var uriBytes = rest[..secondSpace];
        Span<char> uriChars = stackalloc char[MaxRequestUriOnStack];
        ReadOnlySpan<char> uriText = uriBytes.Length <= uriChars.Length && Ascii.ToUtf16(uriBytes, uriChars, out var written) == OperationStatus.Done
            ? uriChars[..written]
            : Encoding.UTF8.GetString(uriBytes);
        if (!SipUri.TryParse(uriText, create: true, ref strings, out var uri, out var uriError))
        {
            error = "invalid Request-URI: " + uriError;
            code = 400;
            return new SipRequest(method, PlaceholderUri);
        }

        var isSip20 = Ascii.EqualsIgnoreCase(version, "SIP/2.0"u8);
        var request = new SipRequest(method, uri!) { Version = isSip20 ? SipMessage.SipVersion : Encoding.ASCII.GetString(version).ToUpperInvariant() };
        if (uri!.Headers is not null && uri.Scheme is "sip" or "sips")
        {
            error = "headers are not allowed in a Request-URI";
            code = 400;
        }
        else if (!isSip20)
        {
            error = "SIP version not supported";
            code = 505;
        }

        return request;
    }

    private static SipResponse? ParseStatusLine(ReadOnlySpan<byte> line, ref string? error)
    {
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace < 0 || !IsVersion(line[..firstSpace]))
        {
            error = "malformed status line";
            return null;
        }

        var rest = line[(firstSpace + 1)..];
        var codeEnd = rest.IndexOf((byte)' ');
        var codeText = codeEnd < 0 ? rest : rest[..codeEnd];
        if (codeText.Length != 3 || !int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ||
            status is < 100 or > 699)
        {
            error = "malformed status code";
            return null;
        }

        var reason = codeEnd < 0 ? "" : Encoding.UTF8.GetString(rest[(codeEnd + 1)..]);
        if (!Ascii.EqualsIgnoreCase(line[..firstSpace], "SIP/2.0"u8))
        {
            error = "SIP version not supported";
        }

        return new SipResponse(status, reason);
    }

    // The stack's method constants for the methods it knows (no string per request); another token as sent.
    private static string MethodName(ReadOnlySpan<byte> token) => token switch
    {
        _ when token.SequenceEqual("INVITE"u8) => SipMethods.Invite,
        _ when token.SequenceEqual("ACK"u8) => SipMethods.Ack,
        _ when token.SequenceEqual("BYE"u8) => SipMethods.Bye,
        _ when token.SequenceEqual("CANCEL"u8) => SipMethods.Cancel,
        _ when token.SequenceEqual("OPTIONS"u8) => SipMethods.Options,
        _ when token.SequenceEqual("REGISTER"u8) => SipMethods.Register,
        _ when token.SequenceEqual("INFO"u8) => SipMethods.Info,
        _ => Encoding.ASCII.GetString(token),
    };

    private static bool IsVersion(ReadOnlySpan<byte> s)
    {
        // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT
        if (s.Length < 7 || !Ascii.EqualsIgnoreCase(s[..4], "SIP/"u8))
        {
            return false;
        }

        var dot = s[4..].IndexOf((byte)'.') + 4;
        return dot > 4 && dot < s.Length - 1 && s[4..dot].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 &&
            s[(dot + 1)..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    // White space as string.Trim sees it, for the ASCII range (non-ASCII edges take the string path).
    private static bool IsAsciiWhitespace(byte b) => b < 0x80 && char.IsWhiteSpace((char)b);

    private static int CountLeadingWhitespace(ReadOnlySpan<byte> s)
    {
        var i = 0;
        while (i < s.Length && IsAsciiWhitespace(s[i]))
        {
            i++;
        }

        return i;
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> s)
    {
        var end = s.Length;
        while (end > 0 && IsAsciiWhitespace(s[end - 1]))
        {
            end--;
        }

        return s[..end];
    }

    private static bool HasNonAsciiEdge(ReadOnlySpan<byte> s) => s.Length > 0 && (s[0] >= 0x80 || s[^1] >= 0x80);

    /// <summary>
    /// The logical lines of a header section: split at LF (a CR before it dropped), empty lines skipped, and a line
    /// that begins with SP or HT joined to the one before with one space (RFC 3261 §7.3.1). A line with no
    /// continuation is a range of the section; a joined line is its unfolded text.
    /// </summary>
    private ref struct LineReader(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private int _position;

        public bool Next(out Range line, out string? folded)
        {
            folded = null;
            line = default;
            while (true)
            {
                if (_position >= _text.Length)
                {
                    return false;
                }

                var physical = NextPhysical();
                if (physical.Start.Value != physical.End.Value)
                {
                    line = physical;
                    break;
                }
            }

            while (_position < _text.Length)
            {
                var before = _position;
                var physical = NextPhysical();
                var (start, length) = physical.GetOffsetAndLength(_text.Length);
                if (length == 0)
                {
                    continue;
                }

                if (_text[start] is not ((byte)' ' or (byte)'\t'))
                {
                    _position = before;
                    break;
                }

                folded ??= Encoding.UTF8.GetString(_text[line]);
                folded = folded.TrimEnd() + " " + Encoding.UTF8.GetString(_text[physical]).Trim();
            }

            return true;
        }

        private Range NextPhysical()
        {
            var start = _position;
            var newline = _text[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? _text.Length : start + newline;
            _position = newline < 0 ? _text.Length : end + 1;
            if (end > start && _text[end - 1] == (byte)'\r')
            {
                end--;
            }

            return new Range(start, end);
        }
    }
}
