using System.Text;

namespace GatewayAgent.Benchmarks;

/// <summary>
/// A typical probe INVITE as a monitoring server sends it (UDP, tagged From, untagged To, SDP offering PCMU, PCMA
/// and telephone-event), byte for byte as it arrives in a datagram.
/// </summary>
public static class ProbeMessages
{
    public const string SdpOffer =
        "v=0\r\n" +
        "o=probe 53655765 2353687637 IN IP4 192.0.2.10\r\n" +
        "s=probe\r\n" +
        "c=IN IP4 192.0.2.10\r\n" +
        "t=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\n" +
        "a=ptime:20\r\n" +
        "a=sendrecv\r\n";

    public static readonly string InviteText =
        "INVITE sip:0312345678@192.0.2.20:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---4f1b2a9c77d2e3f1;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Probe\" <sip:monitor@192.0.2.10:5060>;tag=8a7f3c21\r\n" +
        "To: <sip:0312345678@192.0.2.20:5060>\r\n" +
        "Call-ID: 4f1b2a9c-77d2-e3f1-9a0b-1c2d3e4f5a6b@192.0.2.10\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:monitor@192.0.2.10:5060;transport=udp>\r\n" +
        "User-Agent: ProbeServer/2.1\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: " + Encoding.UTF8.GetByteCount(SdpOffer) + "\r\n" +
        "\r\n" +
        SdpOffer;

    public static readonly byte[] Invite = Encoding.UTF8.GetBytes(InviteText);

    public static readonly byte[] SdpOfferBytes = Encoding.UTF8.GetBytes(SdpOffer);
}
