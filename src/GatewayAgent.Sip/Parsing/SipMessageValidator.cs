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

    private static readonly string[] SingleValued =
        [HeaderNames.CallId, HeaderNames.CSeq, HeaderNames.From, HeaderNames.To, HeaderNames.MaxForwards,
         HeaderNames.ContentType, HeaderNames.Expires, HeaderNames.MinExpires, HeaderNames.Date];

    public static Verdict? Validate(SipMessage message)
    {
        var headers = message.Headers;
        if (headers.CountOf(HeaderNames.Via) == 0)
        {
            return Bad("missing Via");
        }

        var vias = new List<ViaHeader>(2);
        foreach (var value in headers.GetValues(HeaderNames.Via))
        {
            if (!ViaHeader.TryParse(value, out var via, out var viaError))
            {
                return Bad(viaError!);
            }

            vias.Add(via);
        }

        foreach (var name in SingleValued)
        {
            if (headers.CountOf(name) > 1)
            {
                return Bad($"multiple {name} values");
            }
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
        var callId = headers[HeaderNames.CallId]!.AsSpan();
        var at = callId.IndexOf('@');
        if (!SipSyntax.IsWord(at < 0 ? callId : callId[..at]) || (at >= 0 && !SipSyntax.IsWord(callId[(at + 1)..])))
        {
            return Bad("malformed Call-ID");
        }

        if (!CSeqHeader.TryParse(headers[HeaderNames.CSeq]!, out var cseq))
        {
            return Bad("malformed CSeq");
        }

        if (request is not null && !string.Equals(cseq.Method, request.Method, StringComparison.Ordinal))
        {
            return Bad("CSeq method does not match the request method");
        }

        if (!NameAddress.TryParse(headers[HeaderNames.From]!, out var from, out var fromError))
        {
            return Bad($"malformed {HeaderNames.From}: {fromError}");
        }

        if (!NameAddress.TryParse(headers[HeaderNames.To]!, out var to, out var toError))
        {
            return Bad($"malformed {HeaderNames.To}: {toError}");
        }

        foreach (var contact in headers.GetValues(HeaderNames.Contact))
        {
            if (contact != "*" && !NameAddress.TryParse(contact, out _, out var contactError))
            {
                return Bad($"malformed Contact: {contactError}");
            }
        }

        foreach (var name in (ReadOnlySpan<string>)[HeaderNames.Route, HeaderNames.RecordRoute])
        {
            foreach (var value in headers.GetValues(name))
            {
                if (!NameAddress.TryParse(value, out _, out var routeError))
                {
                    return Bad($"malformed {name}: {routeError}");
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

        message.CacheTypedHeaders(vias, from, to, cseq);
        return null;
    }

    private static Verdict Bad(string reason) => new(400, reason);
}
