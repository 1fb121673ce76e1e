using System.Net;
using System.Text;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Support;

/// <summary>SIP text for tests: requests and responses, and incoming messages as the transport would hand them up.</summary>
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

    /// <summary>A well-formed OPTIONS (CRLF line ends, Content-Length of the optional text body).</summary>
    public static string OptionsRequest(string via, string callId = "a84b4c76e66710", string? body = null)
    {
        var content = body ?? "";
        return "OPTIONS sip:gateway@192.0.2.10 SIP/2.0\r\n" +
            $"Via: {via}\r\n" +
            "Max-Forwards: 70\r\n" +
            "To: <sip:gateway@192.0.2.10>\r\n" +
            "From: <sip:alice@example.com>;tag=1928301774\r\n" +
            $"Call-ID: {callId}\r\n" +
            "CSeq: 63104 OPTIONS\r\n" +
            (body is null ? "" : "Content-Type: text/plain\r\n") +
            $"Content-Length: {Encoding.UTF8.GetByteCount(content)}\r\n" +
            "\r\n" +
            content;
    }

    public static byte[] OptionsRequestBytes(string via, string callId = "a84b4c76e66710", string? body = null) =>
        Encoding.UTF8.GetBytes(OptionsRequest(via, callId, body));
}
