using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Support;

/// <summary>Builds incoming messages from SIP text, as the transport would hand them up.</summary>
public static class TestMessages
{
    public static readonly SipTarget UdpPeer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5062));

    public static readonly SipTarget TcpPeer = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 40000));

    public static IncomingMessage Incoming(string text, SipTarget? source = null) =>
        new(SipParser.Parse(text.ReplaceLineEndings("\r\n")), source ?? UdpPeer, new IPEndPoint(IPAddress.Loopback, 5060));

    public static string Invite(string branch = "z9hG4bK-1", string callId = "call-1", int cseq = 1, string fromTag = "ft1",
        string? toTag = null, string method = "INVITE", string transport = "UDP", string user = "0312345678") => $"""
        {method} sip:{user}@127.0.0.1 SIP/2.0
        Via: SIP/2.0/{transport} 192.0.2.10:5062;branch={branch}
        Max-Forwards: 70
        From: <sip:prober@192.0.2.10>;tag={fromTag}
        To: <sip:{user}@127.0.0.1>{(toTag is null ? "" : ";tag=" + toTag)}
        Call-ID: {callId}
        CSeq: {cseq} {method}
        Content-Length: 0


        """;

    public static string Response(SipRequest request, int code, string? toTag = "uas-tag")
    {
        var response = request.CreateResponse(code, null, toTag);
        return response.ToString();
    }
}
