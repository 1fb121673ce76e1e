using System.Text;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>Well-formed SIP messages for transport tests.</summary>
internal static class TestMessages
{
    public static string Options(string via, string callId = "a84b4c76e66710", string? body = null)
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

    public static byte[] OptionsBytes(string via, string callId = "a84b4c76e66710", string? body = null) =>
        Encoding.UTF8.GetBytes(Options(via, callId, body));
}
