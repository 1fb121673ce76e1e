using System.Net;
using System.Text;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpAnswerReaderTests
{
    private static byte[] Answer(string media) => Encoding.UTF8.GetBytes(
        "v=0\r\no=peer 1 1 IN IP4 192.0.2.30\r\ns=-\r\nc=IN IP4 192.0.2.30\r\nt=0 0\r\n" + media);

    [Fact]
    public void TryRead_AcceptedPcma_GivesCodecEndpointAndDirection()
    {
        var body = Answer("m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=recvonly\r\n");

        Assert.True(SdpAnswerReader.TryRead(body, out var audio, out var error), error);

        Assert.Equal(G711Codec.Pcma, audio.Codec);
        Assert.Equal(8, audio.PayloadType);
        Assert.Equal(101, audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.30"), 30000), audio.RemoteEndpoint);
        Assert.Equal(SdpDirection.SendOnly, audio.LocalDirection);
        Assert.True(audio.ShouldSend);
    }

    [Fact]
    public void TryRead_AudioRejected_Fails()
    {
        Assert.False(SdpAnswerReader.TryRead(Answer("m=audio 0 RTP/AVP 0\r\n"), out _, out var error));
        Assert.Contains("no audio", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_Malformed_Fails()
    {
        Assert.False(SdpAnswerReader.TryRead("garbage"u8, out _, out var error));
        Assert.StartsWith("malformed SDP answer", error, StringComparison.Ordinal);
    }
}
