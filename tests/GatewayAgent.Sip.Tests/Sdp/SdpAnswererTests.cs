using System.Net;
using System.Text;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpAnswererTests
{
    private static readonly IPAddress Local = IPAddress.Parse("203.0.113.20");

    private static SdpSessionOrigin NewOrigin() => new(Local, sessionId: 777, initialVersion: 1);

    private static SdpSession Offer(string media, string sessionLines = "c=IN IP4 192.0.2.10\r\n") =>
        Parse("v=0\r\no=peer 55 55 IN IP4 192.0.2.10\r\ns=call\r\n" + sessionLines + "t=0 0\r\n" + media);

    private static SdpSession Parse(string text)
    {
        Assert.True(SdpParser.TryParse(text, out var session, out var error), error);
        return session;
    }

    [Fact]
    public void CreateAnswer_PcmaFirstInOffer_ChoosesPcmaAndKeepsTelephoneEvent()
    {
        var offer = Offer(
            "m=audio 17014 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted, result.Reason);
        Assert.Equal(
            "v=0\r\n" +
            "o=- 777 1 IN IP4 203.0.113.20\r\n" +
            "s=-\r\n" +
            "c=IN IP4 203.0.113.20\r\n" +
            "t=0 0\r\n" +
            "m=audio 20000 RTP/AVP 8 101\r\n" +
            "a=rtpmap:8 PCMA/8000\r\n" +
            "a=rtpmap:101 telephone-event/8000\r\n" +
            "a=fmtp:101 0-16\r\n" +
            "a=ptime:20\r\n" +
            "a=sendrecv\r\n",
            result.Answer.ToString());
        Assert.Equal(
            new SdpNegotiatedAudio(0, G711Codec.Pcma, 8, 101, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 17014), SdpDirection.SendRecv, null),
            result.Audio);
        Assert.True(result.Audio.ShouldSend);
    }

    [Fact]
    public void CreateAnswer_StaticTypesWithoutRtpmap_ChoosesFirstG711InOfferOrder()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 18 3 0 8\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20002);

        Assert.True(result.IsAccepted);
        Assert.Equal(G711Codec.Pcmu, result.Audio.Codec);
        Assert.Equal(["0"], result.Answer.MediaDescriptions[0].Formats);
        Assert.Null(result.Audio.TelephoneEventPayloadType);
    }

    [Fact]
    public void CreateAnswer_PcmuOnDynamicPayloadType_AnswersWithThatType()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 96 97\r\na=rtpmap:96 pcmu/8000\r\na=rtpmap:97 telephone-event/8000\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
        Assert.Equal(G711Codec.Pcmu, result.Audio.Codec);
        Assert.Equal(96, result.Audio.PayloadType);
        Assert.Equal(97, result.Audio.TelephoneEventPayloadType);
        var media = result.Answer.MediaDescriptions[0];
        Assert.Equal(["96", "97"], media.Formats);
        Assert.Equal(new SdpRtpMap(96, "PCMU", 8000), media.GetRtpMap(96));
        Assert.Null(media.GetFormatParameters(97)); // none offered, none answered (RFC 4733 default 0-15)
    }

    [Fact]
    public void CreateAnswer_StaticNumberRemappedByRtpmap_FollowsTheRtpmap()
    {
        // PT 0 mapped to something else is not PCMU; PT 8 is.
        var offer = Offer("m=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 G729/8000\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
        Assert.Equal(G711Codec.Pcma, result.Audio.Codec);
    }

    [Fact]
    public void CreateAnswer_G711AtWrongClockRate_IsNotAcceptable()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMU/16000\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.False(result.IsAccepted);
    }

    [Theory]
    [InlineData("a=sendonly\r\n", "a=recvonly", SdpDirection.RecvOnly)]
    [InlineData("a=recvonly\r\n", "a=sendonly", SdpDirection.SendOnly)]
    [InlineData("a=inactive\r\n", "a=inactive", SdpDirection.Inactive)]
    [InlineData("a=sendrecv\r\n", "a=sendrecv", SdpDirection.SendRecv)]
    [InlineData("", "a=sendrecv", SdpDirection.SendRecv)]
    public void CreateAnswer_MirrorsTheOfferedDirection(string offeredLine, string answeredLine, SdpDirection localDirection)
    {
        var offer = Offer("m=audio 4000 RTP/AVP 0\r\n" + offeredLine);

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
        Assert.Contains(answeredLine + "\r\n", result.Answer.ToString(), StringComparison.Ordinal);
        Assert.Equal(localDirection, result.Audio.LocalDirection);
        Assert.Equal(localDirection.Sends(), result.Audio.ShouldSend);
    }

    [Fact]
    public void CreateAnswer_SessionLevelDirection_AppliesToTheStream()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 0\r\n", "c=IN IP4 192.0.2.10\r\na=sendonly\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.Equal(SdpDirection.RecvOnly, result.Audio!.LocalDirection);
    }

    [Fact]
    public void CreateAnswer_OtherStreams_AreRejectedWithPortZeroKeepingTheLineCount()
    {
        var offer = Offer(
            "m=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n" +
            "m=audio 0 RTP/AVP 0\r\n" +
            "m=audio 4000 RTP/SAVP 0\r\n" +
            "m=audio 4002 RTP/AVP 9\r\n" +
            "m=audio 4004 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n" +
            "m=audio 4006 RTP/AVP 8\r\n" +
            "m=application 6000 udp wb\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
        var media = result.Answer.MediaDescriptions;
        Assert.Equal(offer.MediaDescriptions.Count, media.Count);
        Assert.Equal(4, result.Audio.MediaIndex);
        Assert.Equal(4004, result.Audio.RemoteEndpoint!.Port);
        for (var i = 0; i < media.Count; i++)
        {
            Assert.Equal(offer.MediaDescriptions[i].Media, media[i].Media);
            Assert.Equal(offer.MediaDescriptions[i].Protocol, media[i].Protocol);
            Assert.Equal(i == 4 ? 20000 : 0, media[i].Port);
            Assert.NotEmpty(media[i].Formats);
        }

        Assert.Contains("m=video 0 RTP/AVP 96\r\n", result.Answer.ToString(), StringComparison.Ordinal);
        Assert.Contains("m=application 0 udp wb\r\n", result.Answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAnswer_CopiesTheOffersTimeLine()
    {
        var offer = Parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=3034423619 3042462419\r\nm=audio 4000 RTP/AVP 0\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.Equal([new SdpTiming(3034423619, 3042462419)], result.Answer!.Timings);
    }

    [Fact]
    public void CreateAnswer_MediaLevelConnectionOnly_UsesIt()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 0\r\nc=IN IP4 198.51.100.9\r\n", sessionLines: "");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.9"), 4000), result.Audio!.RemoteEndpoint);
    }

    [Fact]
    public void CreateAnswer_NoConnectionAnywhere_IsNotAcceptable()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 0\r\n", sessionLines: "");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.False(result.IsAccepted);
        Assert.Contains("c=", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAnswer_Rfc2543Hold_AcceptsWithoutARemoteEndpoint()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 0\r\n", "c=IN IP4 0.0.0.0\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
        Assert.Null(result.Audio.RemoteEndpoint);
        Assert.False(result.Audio.ShouldSend);
    }

    [Fact]
    public void CreateAnswer_Ipv6LocalAddress_WritesInIp6()
    {
        var local = IPAddress.Parse("2001:db8::20");
        var offer = Parse("v=0\r\no=- 1 1 IN IP6 2001:db8::10\r\ns=-\r\nc=IN IP6 2001:db8::10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n");

        var result = SdpAnswerer.CreateAnswer(offer, new SdpSessionOrigin(local, 1, 1), local, 20000);

        Assert.True(result.IsAccepted);
        Assert.Equal(new SdpConnection("IN", "IP6", "2001:db8::20"), result.Answer.Connection);
        Assert.Equal("IP6", result.Answer.Origin.AddressType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::10"), 4000), result.Audio.RemoteEndpoint);
    }

    [Theory]
    [InlineData("m=audio 4000 RTP/AVP 18 9 3\r\n")]
    [InlineData("m=audio 0 RTP/AVP 0 8\r\n")]
    [InlineData("m=audio 4000 RTP/SAVP 0 8\r\n")]
    [InlineData("m=video 4000 RTP/AVP 0\r\n")]
    [InlineData("")]
    public void CreateAnswer_NoUsableG711Audio_IsNotAcceptable(string media)
    {
        var result = SdpAnswerer.CreateAnswer(Offer(media), NewOrigin(), Local, 20000);

        Assert.False(result.IsAccepted);
        Assert.Null(result.Answer);
        Assert.Null(result.Audio);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Fact]
    public void CreateAnswer_MalformedBody_IsNotAcceptableWithTheParseError()
    {
        var result = SdpAnswerer.CreateAnswer(Encoding.UTF8.GetBytes("v=0\r\nbogus\r\n"), NewOrigin(), Local, 20000);

        Assert.False(result.IsAccepted);
        Assert.StartsWith("malformed SDP offer", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAnswer_Body_ParsesAndAnswers()
    {
        var body = Encoding.UTF8.GetBytes(Offer("m=audio 4000 RTP/AVP 0\r\n").ToString());

        var result = SdpAnswerer.CreateAnswer(body, NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
    }

    [Fact]
    public void CreateAnswer_ReInviteWithChangedOffer_IncrementsVersionOnlyWhenTheAnswerChanges()
    {
        var origin = NewOrigin();
        var first = SdpAnswerer.CreateAnswer(Offer("m=audio 4000 RTP/AVP 0\r\n"), origin, Local, 20000);
        var refresh = SdpAnswerer.CreateAnswer(Offer("m=audio 4000 RTP/AVP 0\r\n"), origin, Local, 20000);
        var hold = SdpAnswerer.CreateAnswer(Offer("m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n"), origin, Local, 20000);

        Assert.Equal(1UL, first.Answer!.Origin.SessionVersion);
        Assert.Equal(1UL, refresh.Answer!.Origin.SessionVersion);
        Assert.Equal(2UL, hold.Answer!.Origin.SessionVersion);
        Assert.Equal(first.Answer.Origin.SessionId, hold.Answer.Origin.SessionId);
    }

    [Fact]
    public void CreateAnswer_ItsOwnOffer_IsAcceptedAndRoundTrips()
    {
        var offer = SdpOfferBuilder.CreateOffer(new SdpSessionOrigin(IPAddress.Parse("192.0.2.99"), 5, 5), IPAddress.Parse("192.0.2.99"), 30000);

        var result = SdpAnswerer.CreateAnswer(Encoding.UTF8.GetBytes(offer.ToString()), NewOrigin(), Local, 20000);

        Assert.True(result.IsAccepted);
        Assert.Equal(G711Codec.Pcmu, result.Audio.Codec);
        Assert.Equal(101, result.Audio.TelephoneEventPayloadType);
        Assert.Equal(20, result.Audio.RemotePtime);
        Assert.True(SdpAnswerReader.TryRead(SdpSerializer.SerializeToUtf8(result.Answer), out var uac, out _));
        Assert.Equal(new IPEndPoint(Local, 20000), uac.RemoteEndpoint);
    }
}
