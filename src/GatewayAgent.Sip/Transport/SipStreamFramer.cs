using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// Cuts whole SIP messages out of a stream (TCP) by Content-Length, as RFC 3261 §18.3 requires; no sockets, so it is
/// fed bytes in whatever chunks the network delivers. CR and LF between messages are skipped (RFC 3261 §7.5); a
/// double CRLF there is a keep-alive ping the caller answers with one CRLF (RFC 5626 §4.4.1). A missing Content-Length
/// means an empty body. A message larger than the limit, or a Content-Length that cannot be read, is a framing error:
/// the stream cannot be resynchronised and the connection must be closed. One instance per connection; not thread-safe.
/// </summary>
public sealed class SipStreamFramer
{
    private const int InitialCapacity = 4096;

    private byte[] _buffer;
    private int _start;
    private int _count;
    private State _state;
    private int _scanned;
    private int _messageLength;
    private int _lineFeeds;

    public SipStreamFramer(int maxMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 16);
        MaxMessageSize = maxMessageSize;
        _buffer = new byte[Math.Min(InitialCapacity, maxMessageSize + 1)];
    }

    private enum State
    {
        BetweenMessages,
        Headers,
        Body,
    }

    /// <summary>The largest message (start line, headers, blank line and body) accepted, in bytes.</summary>
    public int MaxMessageSize { get; }

    /// <summary>Bytes held of a message not yet complete.</summary>
    public int BufferedBytes => _count;

    /// <summary>The framing error that stopped this framer, or null; once set every further call reports it again.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// Feeds the next bytes of the stream. Each message completed by them is added to <paramref name="messages"/> as
    /// its own array (start line through body); bytes of an incomplete message are kept for the next call.
    /// </summary>
    public SipFramingResult Append(ReadOnlySpan<byte> data, ICollection<byte[]> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Error is not null)
        {
            return new SipFramingResult(0, Error);
        }

        var pings = 0;
        while (!data.IsEmpty)
        {
            var n = Reserve(data.Length);
            data[..n].CopyTo(_buffer.AsSpan(_start + _count));
            _count += n;
            data = data[n..];
            if (!Drain(messages, ref pings))
            {
                return new SipFramingResult(pings, Error);
            }
        }

        return new SipFramingResult(pings, null);
    }

    // Makes room for up to `wanted` more bytes and returns how many fit. After a successful Drain at most
    // MaxMessageSize bytes are held and the buffer may grow to MaxMessageSize + 1, so at least one byte always fits;
    // holding MaxMessageSize + 1 bytes of one message is then how an oversized message shows.
    private int Reserve(int wanted)
    {
        if (_start + _count + wanted > _buffer.Length && _start > 0)
        {
            _buffer.AsSpan(_start, _count).CopyTo(_buffer);
            _start = 0;
        }

        var limit = MaxMessageSize + 1;
        if (_count + wanted > _buffer.Length && _buffer.Length < limit)
        {
            var capacity = (int)Math.Min(Math.Max((long)_buffer.Length * 2, (long)_count + wanted), limit);
            var grown = new byte[capacity];
            _buffer.AsSpan(_start, _count).CopyTo(grown);
            _buffer = grown;
            _start = 0;
        }

        return Math.Min(wanted, _buffer.Length - _start - _count);
    }

    private bool Drain(ICollection<byte[]> messages, ref int pings)
    {
        while (true)
        {
            switch (_state)
            {
                case State.BetweenMessages:
                    var idle = _buffer.AsSpan(_start, _count);
                    var i = 0;
                    for (; i < idle.Length; i++)
                    {
                        if (idle[i] == (byte)'\n')
                        {
                            // CRLF CRLF is a ping; a lone CRLF is a pong (or noise) and needs no answer.
                            if (++_lineFeeds == 2)
                            {
                                pings++;
                                _lineFeeds = 0;
                            }
                        }
                        else if (idle[i] != (byte)'\r')
                        {
                            break;
                        }
                    }

                    _start += i;
                    _count -= i;
                    if (_count == 0)
                    {
                        _start = 0;
                        return true;
                    }

                    _lineFeeds = 0;
                    _scanned = 0;
                    _state = State.Headers;
                    break;

                case State.Headers:
                    var held = _buffer.AsSpan(_start, _count);
                    var end = FindHeaderEnd(held, _scanned, out var headerLength);
                    if (end < 0)
                    {
                        if (_count > MaxMessageSize)
                        {
                            return Fail($"header section longer than {MaxMessageSize} bytes");
                        }

                        // The blank line may straddle this chunk and the next: look again from 3 bytes back.
                        _scanned = Math.Max(0, _count - 3);
                        return true;
                    }

                    if (!TryReadContentLength(held[..end], out var contentLength, out var error))
                    {
                        return Fail(error);
                    }

                    if ((long)headerLength + contentLength > MaxMessageSize)
                    {
                        return Fail($"message of {(long)headerLength + contentLength} bytes exceeds the {MaxMessageSize}-byte limit");
                    }

                    _messageLength = headerLength + contentLength;
                    _state = State.Body;
                    break;

                case State.Body:
                    if (_count < _messageLength)
                    {
                        return true;
                    }

                    messages.Add(_buffer.AsSpan(_start, _messageLength).ToArray());
                    _start += _messageLength;
                    _count -= _messageLength;
                    if (_count == 0)
                    {
                        _start = 0;
                    }

                    _state = State.BetweenMessages;
                    break;
            }
        }
    }

    private bool Fail(string error)
    {
        Error = error;
        _count = 0;
        _start = 0;
        return false;
    }

    // The blank line ending the header section: CRLF CRLF, or a bare LF LF as the parser also accepts; whichever is
    // first. Returns where it starts, and the length of the header section including it.
    private static int FindHeaderEnd(ReadOnlySpan<byte> data, int from, out int headerLength)
    {
        var search = data[from..];
        var crlf = search.IndexOf("\r\n\r\n"u8);
        var lf = search.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            headerLength = from + crlf + 4;
            return from + crlf;
        }

        if (lf >= 0)
        {
            headerLength = from + lf + 2;
            return from + lf;
        }

        headerLength = 0;
        return -1;
    }

    // Reads Content-Length (or its compact form "l") from the header section, start line excluded. Names compare
    // case-insensitively, LWS may surround the colon and the value may be folded onto continuation lines.
    private static bool TryReadContentLength(ReadOnlySpan<byte> headers, out int length, out string error)
    {
        length = 0;
        error = "";
        var found = false;
        var startLineEnd = headers.IndexOf((byte)'\n');
        if (startLineEnd < 0)
        {
            return true;
        }

        var rest = headers[(startLineEnd + 1)..];
        string? value = null;
        while (true)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            if (line.EndsWith("\r"u8))
            {
                line = line[..^1];
            }

            if (!line.IsEmpty && line[0] is (byte)' ' or (byte)'\t')
            {
                if (value is not null)
                {
                    value += " " + Encoding.Latin1.GetString(line);
                }
            }
            else
            {
                if (value is not null && !Accept(value, ref found, ref length, out error))
                {
                    return false;
                }

                value = null;
                var colon = line.IndexOf((byte)':');
                if (colon > 0)
                {
                    var name = line[..colon].TrimEnd(" \t"u8);
                    if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "l"u8))
                    {
                        value = Encoding.Latin1.GetString(line[(colon + 1)..]);
                    }
                }
            }

            if (newline < 0)
            {
                break;
            }

            rest = rest[(newline + 1)..];
        }

        return value is null || Accept(value, ref found, ref length, out error);
    }

    private static bool Accept(string value, ref bool found, ref int length, out string error)
    {
        var text = value.Trim(' ', '\t');
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            error = $"unreadable Content-Length '{(text.Length > 20 ? text[..20] + "..." : text)}'";
            return false;
        }

        if (found && parsed != length)
        {
            error = "conflicting Content-Length values";
            return false;
        }

        found = true;
        length = parsed;
        error = "";
        return true;
    }
}
