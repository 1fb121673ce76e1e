using System.Globalization;
using System.Text;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// Points a message's top Via at the test's own socket, touching nothing else: the sent-by of the first Via value
/// (found wherever the header is, under any spelling — "Via", "v", "VIA  :", folded across lines) is replaced by
/// 127.0.0.1:&lt;port&gt;, and ";rport" is added after it unless that Via value already has an rport parameter.
/// Every other byte of the message stays as it was.
/// </summary>
/// <remarks>
/// The agent sends responses where the top Via says (RFC 3261 §18.2.2, RFC 3581): to an IP-literal sent-by and its
/// port (5060 by default), to received/rport when present, and back to the source only when the sent-by is a host name
/// it would have to resolve. The torture messages name hosts such as 192.0.2.15 or host5.example.com; without the
/// rewrite, many responses would go to addresses the test cannot listen on.
/// </remarks>
internal static class TopViaRewriter
{
    public static byte[] Rewrite(ReadOnlySpan<byte> message, int port) => Rewrite(message, port, out _);

    /// <summary>Returns the rewritten message; <paramref name="original"/> is the sent-by that was replaced.</summary>
    /// <exception cref="FormatException">the message has no Via whose sent-by can be found.</exception>
    public static byte[] Rewrite(ReadOnlySpan<byte> message, int port, out string original)
    {
        var headerEnd = IndexOfHeaderEnd(message);
        var lineStart = message.IndexOf((byte)'\n') + 1;
        while (lineStart > 0 && lineStart < headerEnd)
        {
            var lineEnd = IndexOfLineEnd(message, lineStart, headerEnd);
            if (message[lineStart] is not ((byte)' ' or (byte)'\t') && IsViaHeader(message[lineStart..lineEnd], out var colon))
            {
                return RewriteValue(message, lineStart + colon + 1, headerEnd, port, out original);
            }

            lineStart = lineEnd + 1;
        }

        throw new FormatException("no Via header found");
    }

    private static byte[] RewriteValue(ReadOnlySpan<byte> message, int position, int headerEnd, int port, out string original)
    {
        // via-parm = sent-protocol LWS sent-by *( SEMI via-params ); sent-protocol = name SLASH version SLASH transport,
        // where SLASH may carry LWS (and so line folds) on either side.
        var p = SkipLws(message, position, headerEnd);
        p = SkipToken(message, p, headerEnd);
        p = ExpectSlash(message, p, headerEnd);
        p = SkipToken(message, p, headerEnd);
        p = ExpectSlash(message, p, headerEnd);
        p = SkipToken(message, p, headerEnd);
        var sentByStart = SkipLws(message, p, headerEnd);
        var sentByEnd = sentByStart;
        if (sentByEnd < headerEnd && message[sentByEnd] == (byte)'[')
        {
            sentByEnd = message[sentByEnd..headerEnd].IndexOf((byte)']') + sentByEnd;
        }

        while (sentByEnd < headerEnd && message[sentByEnd] is not ((byte)';' or (byte)',' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            sentByEnd++;
        }

        if (sentByEnd == sentByStart)
        {
            throw new FormatException("the top Via has no sent-by");
        }

        original = Encoding.Latin1.GetString(message[sentByStart..sentByEnd]);
        var replacement = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        if (!HasRport(message, sentByEnd, headerEnd))
        {
            replacement += ";rport";
        }

        var result = new byte[message.Length - (sentByEnd - sentByStart) + replacement.Length];
        message[..sentByStart].CopyTo(result);
        var written = sentByStart + Encoding.ASCII.GetBytes(replacement, result.AsSpan(sentByStart));
        message[sentByEnd..].CopyTo(result.AsSpan(written));
        return result;
    }

    /// <summary>Whether the parameters of the first Via value (up to a comma or the end of the header) include rport.</summary>
    private static bool HasRport(ReadOnlySpan<byte> message, int position, int headerEnd)
    {
        var end = position;
        while (end < headerEnd && message[end] != (byte)',' && !IsHeaderEnd(message, end, headerEnd))
        {
            end++;
        }

        var text = Encoding.Latin1.GetString(message[position..end]);
        foreach (var parameter in text.Split(';').Skip(1))
        {
            if (parameter.Split('=')[0].Trim(' ', '\t', '\r', '\n').Equals("rport", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsViaHeader(ReadOnlySpan<byte> line, out int colon)
    {
        colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = Encoding.Latin1.GetString(line[..colon]).TrimEnd(' ', '\t');
        return name.Equals("Via", StringComparison.OrdinalIgnoreCase) || name.Equals("v", StringComparison.OrdinalIgnoreCase);
    }

    private static int IndexOfHeaderEnd(ReadOnlySpan<byte> message)
    {
        var crlf = message.IndexOf("\r\n\r\n"u8);
        var lf = message.IndexOf("\n\n"u8);
        return crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : message.Length;
    }

    private static int IndexOfLineEnd(ReadOnlySpan<byte> message, int start, int headerEnd)
    {
        var lf = message[start..headerEnd].IndexOf((byte)'\n');
        return lf < 0 ? headerEnd : start + lf;
    }

    /// <summary>A line break that is not followed by whitespace ends the header (RFC 3261 §7.3.1 folding).</summary>
    private static bool IsHeaderEnd(ReadOnlySpan<byte> message, int position, int headerEnd)
    {
        var next = message[position] switch
        {
            (byte)'\r' when position + 1 < headerEnd && message[position + 1] == (byte)'\n' => position + 2,
            (byte)'\n' => position + 1,
            _ => -1,
        };
        return next >= 0 && (next >= headerEnd || message[next] is not ((byte)' ' or (byte)'\t'));
    }

    private static int SkipLws(ReadOnlySpan<byte> message, int position, int headerEnd)
    {
        while (position < headerEnd)
        {
            if (message[position] is (byte)' ' or (byte)'\t')
            {
                position++;
            }
            else if (message[position] is (byte)'\r' or (byte)'\n' && !IsHeaderEnd(message, position, headerEnd))
            {
                position += message[position] == (byte)'\r' ? 2 : 1;
            }
            else
            {
                break;
            }
        }

        return position;
    }

    private static int SkipToken(ReadOnlySpan<byte> message, int position, int headerEnd)
    {
        var start = position;
        while (position < headerEnd && message[position] is not ((byte)'/' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)';' or (byte)','))
        {
            position++;
        }

        return position > start ? position : throw new FormatException("malformed sent-protocol in the top Via");
    }

    private static int ExpectSlash(ReadOnlySpan<byte> message, int position, int headerEnd)
    {
        position = SkipLws(message, position, headerEnd);
        if (position >= headerEnd || message[position] != (byte)'/')
        {
            throw new FormatException("malformed sent-protocol in the top Via");
        }

        return SkipLws(message, position + 1, headerEnd);
    }
}
