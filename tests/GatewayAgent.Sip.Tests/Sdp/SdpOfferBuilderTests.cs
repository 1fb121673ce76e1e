using System.Net;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpOfferBuilderTests
{
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.50");

    [Fact]
    public void CreateOffer_WritesPcmuPcmaTelephoneEventAndPtime()
    {
        var offer = SdpOfferBuilder.CreateOffer(new SdpSessionOrigin(Local, 42, 7), Local, 20004);

        Assert.Equal(
            "v=0\r\n" +
            "o=- 42 7 IN IP4 192.0.2.50\r\n" +
            "s=-\r\n" +
            "c=IN IP4 192.0.2.50\r\n" +
            "t=0 0\r\n" +
            "m=audio 20004 RTP/AVP 0 8 101\r\n" +
            "a=rtpmap:0 PCMU/8000\r\n" +
            "a=rtpmap:8 PCMA/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\n" +
            "a=fmtp:101 0-16\r\n" +
            "a=ptime:20\r\n" +
            "a=sendrecv\r\n",
            offer.ToString());
    }

    [Fact]
    public void CreateOffer_CodecPreferenceAndDirection_AreHonoured()
    {
        var offer = SdpOfferBuilder.CreateOffer(
            new SdpSessionOrigin(Local, 42, 7), Local, 20004, SdpDirection.SendOnly, [G711Codec.Pcma]);

        var audio = Assert.Single(offer.MediaDescriptions);
        Assert.Equal(["8", "101"], audio.Formats);
        Assert.Equal(SdpDirection.SendOnly, audio.Direction);
    }

    [Fact]
    public void CreateOffer_Ipv6_WritesInIp6()
    {
        var v6 = IPAddress.Parse("2001:db8::50");

        var offer = SdpOfferBuilder.CreateOffer(new SdpSessionOrigin(v6, 1, 1), v6, 20004);

        Assert.Contains("c=IN IP6 2001:db8::50\r\n", offer.ToString(), StringComparison.Ordinal);
        Assert.Contains("o=- 1 1 IN IP6 2001:db8::50\r\n", offer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateOffer_ReOfferForHold_IncrementsTheVersionAndKeepsTheSessionId()
    {
        var origin = new SdpSessionOrigin(Local, 42, 7);

        var initial = SdpOfferBuilder.CreateOffer(origin, Local, 20004);
        var hold = SdpOfferBuilder.CreateOffer(origin, Local, 20004, SdpDirection.SendOnly);
        var resume = SdpOfferBuilder.CreateOffer(origin, Local, 20004);

        Assert.Equal(7UL, initial.Origin.SessionVersion);
        Assert.Equal(8UL, hold.Origin.SessionVersion);
        Assert.Equal(9UL, resume.Origin.SessionVersion);
        Assert.Equal("42", resume.Origin.SessionId);
    }

    [Fact]
    public void CreateOffer_ParsesBack()
    {
        var offer = SdpOfferBuilder.CreateOffer(SdpSessionOrigin.CreateRandom(Local), Local, 20004);

        Assert.True(SdpParser.TryParse(offer.ToString(), out var parsed, out var error), error);
        Assert.Equal(offer.ToString(), parsed.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void CreateOffer_PortOutOfRange_Throws(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => SdpOfferBuilder.CreateOffer(new SdpSessionOrigin(Local, 1, 1), Local, port));
    }
}
