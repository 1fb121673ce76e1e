using System.Net;
using System.Text;

namespace GatewayAgent.Tests.Conformance;

/// <summary>The well-formed requests and answers the conformance tests send around the corpus messages.</summary>
internal static class TestSipMessages
{
    private static readonly HashSet<string> CopiedHeaders = new(["Via", "From", "To", "Call-ID", "CSeq"], StringComparer.OrdinalIgnoreCase);

    /// <summary>An OPTIONS the agent answers 200: sent after a corpus message, its answer shows the agent got that far.</summary>
    public static byte[] Options(IPEndPoint local, IPEndPoint agent, string callId) => Encoding.ASCII.GetBytes(
        $"OPTIONS sip:{agent} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {local};branch=z9hG4bK-{callId};rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:conformance@{local}>;tag={callId}\r\n" +
        $"To: <sip:{agent}>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n");

    /// <summary>A probe call: INVITE to the monitoring number with an SDP offer (PCMU) whose media port is <paramref name="rtpPort"/>.</summary>
    public static byte[] Invite(IPEndPoint local, IPEndPoint agent, string number, string callId, int rtpPort)
    {
        var sdp =
            "v=0\r\n" +
            $"o=conformance 1 1 IN IP4 {local.Address}\r\n" +
            "s=-\r\n" +
            $"c=IN IP4 {local.Address}\r\n" +
            "t=0 0\r\n" +
            $"m=audio {rtpPort} RTP/AVP 0\r\n" +
            "a=rtpmap:0 PCMU/8000\r\n";
        return Encoding.ASCII.GetBytes(
            $"INVITE sip:{number}@{agent} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK-{callId}-1;rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:prober@{local}>;tag={callId}\r\n" +
            $"To: <sip:{number}@{agent}>\r\n" +
            $"Call-ID: {callId}\r\n" +
            "CSeq: 1 INVITE\r\n" +
            $"Contact: <sip:prober@{local}>\r\n" +
            "Content-Type: application/sdp\r\n" +
            $"Content-Length: {sdp.Length}\r\n\r\n" + sdp);
    }

    /// <summary>
    /// An in-dialog request (ACK for the 2xx, BYE) after <paramref name="ok"/>: to its Contact, with its To (and tag),
    /// a fresh branch.
    /// </summary>
    public static byte[] InDialog(string method, int cseq, WireMessage ok, IPEndPoint local, string callId)
    {
        var contact = ok["Contact"] is { } c && c.IndexOf('<', StringComparison.Ordinal) is var lt and >= 0 && c.IndexOf('>', lt) is var gt and > 0
            ? c[(lt + 1)..gt]
            : throw new InvalidOperationException("the 200 has no Contact: " + ok);
        return Encoding.ASCII.GetBytes(
            $"{method} {contact} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK-{callId}-{method.ToLowerInvariant()};rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: {ok["From"]}\r\n" +
            $"To: {ok["To"]}\r\n" +
            $"Call-ID: {callId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" +
            "Content-Length: 0\r\n\r\n");
    }

    /// <summary>A 200 for a request the agent sent us (its BYE at the maximum call duration): Via, From, To, Call-ID, CSeq copied.</summary>
    public static byte[] Ok(WireMessage request)
    {
        var text = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (var (name, value) in request.Headers)
        {
            if (CopiedHeaders.Contains(name))
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        return Encoding.Latin1.GetBytes(text.Append("Content-Length: 0\r\n\r\n").ToString());
    }
}
