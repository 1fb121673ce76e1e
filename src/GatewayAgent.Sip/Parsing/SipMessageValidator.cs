using System.Globalization;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Parsing;

/// <summary>
/// Checks the headers every transaction relies on (RFC 3261 §8.1.1, §8.2.2, §20) after the message was read. Returns
/// the status code and reason of the error response, or null when the message is well-formed.
/// </summary>
public static class SipMessageValidator
{
    /// <summary>A validation failure: the status to answer with and a reason phrase.</summary>
    public readonly record struct Verdict(int StatusCode, string Reason);

    // A header value up to this many bytes is parsed from the stack.
    private const int ValueOnStack = 512;

    private static readonly string[] SingleValued =
        [HeaderNames.CallId, HeaderNames.CSeq, HeaderNames.From, HeaderNames.To, HeaderNames.MaxForwards,
         HeaderNames.ContentType, HeaderNames.Expires, HeaderNames.MinExpires, HeaderNames.Date];

    public static Verdict? Validate(SipMessage message)
    {
        var strings = default(SipStringCache);
        return Validate(message, ref strings);
    }

    /// <summary>As <see cref="Validate(SipMessage)"/>, with the strings the parser made of this message so far.</summary>
    internal static Verdict? Validate(SipMessage message, ref SipStringCache strings)
    {
        var headers = message.Headers;
        var viaCount = headers.CountOf(HeaderNames.Via);
        if (viaCount == 0)
        {
            return Bad("missing Via");
        }

        // The values are read from the received bytes through this buffer: no string is made of them here.
        Span<char> scratch = stackalloc char[ValueOnStack];
        var vias = new ViaHeader[viaCount];
        var index = -1;
        for (var i = 0; i < vias.Length; i++)
        {
            index = headers.IndexOf(HeaderNames.Via, index + 1);
            if (!ViaHeader.TryParse(headers.CharsAt(index, scratch), ref strings, out var via, out var viaError))
            {
                return Bad(viaError!);
            }

            vias[i] = via;
        }

        if (headers.FirstRepeated(SingleValued) is { } repeated)
        {
            return Bad($"multiple {repeated} values");
        }

        // Max-Forwards is not required: RFC 2543 peers omit it and RFC 3261 §8.2 does not make its absence an error.
        var request = message as SipRequest;
        foreach (var name in (ReadOnlySpan<string>)[HeaderNames.CallId, HeaderNames.CSeq, HeaderNames.From, HeaderNames.To])
        {
            if (!headers.Contains(name))
            {
                return Bad($"missing {name}");
            }
        }

        // callid = word [ "@" word ]
        var callId = headers.CharsAt(headers.IndexOf(HeaderNames.CallId), scratch);
        var at = callId.IndexOf('@');
        if (!SipSyntax.IsWord(at < 0 ? callId : callId[..at]) || (at >= 0 && !SipSyntax.IsWord(callId[(at + 1)..])))
        {
            return Bad("malformed Call-ID");
        }

        if (!CSeqHeader.TryParse(headers.CharsAt(headers.IndexOf(HeaderNames.CSeq), scratch), out var cseq))
        {
            return Bad("malformed CSeq");
        }

        if (request is not null && !string.Equals(cseq.Method, request.Method, StringComparison.Ordinal))
        {
            return Bad("CSeq method does not match the request method");
        }

        if (!NameAddress.TryParse(headers.CharsAt(headers.IndexOf(HeaderNames.From), scratch), create: true, ref strings, out var from, out var fromError))
        {
            return Bad($"malformed {HeaderNames.From}: {fromError}");
        }

        if (!NameAddress.TryParse(headers.CharsAt(headers.IndexOf(HeaderNames.To), scratch), create: true, ref strings, out var to, out var toError))
        {
            return Bad($"malformed {HeaderNames.To}: {toError}");
        }

        // Contact, Route and Record-Route are only checked here; their typed values are made when a dialog reads them.
        foreach (var name in (ReadOnlySpan<string>)[HeaderNames.Contact, HeaderNames.Route, HeaderNames.RecordRoute])
        {
            for (index = headers.IndexOf(name); index >= 0; index = headers.IndexOf(name, index + 1))
            {
                var value = headers.CharsAt(index, scratch);
                if (!(name == HeaderNames.Contact && value is "*") && !NameAddress.IsValid(value, out var addressError))
                {
                    return Bad($"malformed {name}: {addressError}");
                }
            }
        }

        if (headers.TryGetFirstUtf8(HeaderNames.MaxForwards, out var maxForwards) &&
            (!int.TryParse(maxForwards, NumberStyles.None, CultureInfo.InvariantCulture, out var hops) || hops > 255))
        {
            return Bad("Max-Forwards must be 0-255");
        }

        foreach (var name in (ReadOnlySpan<string>)[HeaderNames.Expires, HeaderNames.MinExpires])
        {
            if (headers.TryGetFirstUtf8(name, out var expires) &&
                (!uint.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return Bad($"{name} must be 0-4294967295");
            }
        }

        if (headers[HeaderNames.Date] is { } date && !date.EndsWith(" GMT", StringComparison.Ordinal))
        {
            return Bad("Date must be in GMT");
        }

        message.CacheTypedHeaders(vias, from!, to!, cseq);
        return null;
    }

    private static Verdict Bad(string reason) => new(400, reason);
}
