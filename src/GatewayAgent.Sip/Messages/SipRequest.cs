using System.Text;

namespace GatewayAgent.Sip.Messages;

/// <summary>A SIP request: method, Request-URI, headers and body.</summary>
public sealed class SipRequest : SipMessage
{
    public SipRequest(string method, SipUri requestUri)
    {
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The method token, case-sensitive as RFC 3261 §7.1 requires.</summary>
    public string Method { get; set; }

    public SipUri RequestUri { get; set; }

    /// <summary>
    /// Builds a response per RFC 3261 §8.2.6: Via, From, To, Call-ID and CSeq copied (and Record-Route for INVITE
    /// 1xx/2xx, §12.1.1); a To tag added to anything but 100 when the request had none (use the same <paramref name="toTag"/> for every response of one transaction).
    /// </summary>
    public SipResponse CreateResponse(int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        var response = new SipResponse(statusCode, reasonPhrase);
        response.Headers.CopyFrom(Headers, HeaderNames.Via);
        response.Headers.CopyFrom(Headers, HeaderNames.From);
        var to = Headers[HeaderNames.To];
        if (to is not null)
        {
            if (statusCode > 100 && toTag is not null && To?.Clone() is { Tag: null } address)
            {
                address.Tag = toTag;
                to = address.ToString();
            }

            response.Headers.Add(HeaderNames.To, to);
        }

        response.Headers.CopyFrom(Headers, HeaderNames.CallId);
        response.Headers.CopyFrom(Headers, HeaderNames.CSeq);

        // RFC 3261 §12.1.1: a response that can establish a dialog carries the request's Record-Route values.
        if (Method == SipMethods.Invite && statusCode is > 100 and < 300)
        {
            response.Headers.CopyFrom(Headers, HeaderNames.RecordRoute);
        }
        if (statusCode == 100)
        {
            response.Headers.CopyFrom(Headers, HeaderNames.Timestamp);
        }

        return response;
    }

    protected override void AppendStartLine(StringBuilder sb) =>
        sb.Append(Method).Append(' ').Append(RequestUri).Append(' ').Append(Version);
}
