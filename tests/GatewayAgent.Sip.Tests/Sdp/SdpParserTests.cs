using System.Net;
using System.Text;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpParserTests
{
    // RFC 4566 §5 example.
    private const string Rfc4566Example =
        "v=0\r\n" +
        "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\r\n" +
        "s=SDP Seminar\r\n" +
        "i=A Seminar on the session description protocol\r\n" +
        "u=http://www.example.com/seminars/sdp.pdf\r\n" +
        "e=j.doe@example.com (Jane Doe)\r\n" +
        "c=IN IP4 224.2.17.12/127\r\n" +
        "t=2873397496 2873404696\r\n" +
        "a=recvonly\r\n" +
        "m=audio 49170 RTP/AVP 0\r\n" +
        "m=video 51372 RTP/AVP 99\r\n" +
        "a=rtpmap:99 h263-1998/90000\r\n";

    private const string PbxOffer =
        "v=0\r\n" +
        "o=root 1821250040 1821250040 IN IP4 192.0.2.10\r\n" +
        "s=Asterisk PBX\r\n" +
        "c=IN IP4 192.0.2.10\r\n" +
        "t=0 0\r\n" +
        "m=audio 17014 RTP/AVP 8 0 101\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\n" +
        "a=ptime:20\r\n" +
        "a=maxptime:150\r\n" +
        "a=sendrecv\r\n";

    [Fact]
    public void TryParse_Rfc4566Example_ReadsEveryField()
    {
        Assert.True(SdpParser.TryParse(Rfc4566Example, out var session, out var error), error);

        Assert.Equal(new SdpOrigin("jdoe", "2890844526", 2890842807, "IN", "IP4", "10.47.16.5"), session.Origin);
        Assert.Equal("SDP Seminar", session.SessionName);
        Assert.Equal("A Seminar on the session description protocol", session.Information);
        Assert.Equal(new SdpConnection("IN", "IP4", "224.2.17.12/127"), session.Connection);
        Assert.Equal([new SdpTiming(2873397496, 2873404696)], session.Timings);
        Assert.Equal([new SdpAttribute("recvonly")], session.Attributes);
        Assert.Equal(2, session.MediaDescriptions.Count);

        var audio = session.MediaDescriptions[0];
        Assert.Equal("audio", audio.Media);
        Assert.Equal(49170, audio.Port);
        Assert.Equal("RTP/AVP", audio.Protocol);
        Assert.Equal(["0"], audio.Formats);
        Assert.Null(audio.Connection);
        Assert.Equal(SdpDirection.RecvOnly, session.GetDirection(audio));

        var video = session.MediaDescriptions[1];
        Assert.Equal(new SdpRtpMap(99, "h263-1998", 90000), video.GetRtpMap(99));
    }

    [Fact]
    public void TryParse_SessionLevelConnection_AppliesToMediaWithoutTheirOwn()
    {
        Assert.True(SdpParser.TryParse(Rfc4566Example, out var session, out _));

        Assert.Equal(
            new IPEndPoint(IPAddress.Parse("224.2.17.12"), 49170),
            session.GetRtpEndpoint(session.MediaDescriptions[0]));
    }

    [Fact]
    public void TryParse_MediaLevelConnection_OverridesSessionLevel()
    {
        const string Text =
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" +
            "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 198.51.100.7\r\n";

        Assert.True(SdpParser.TryParse(Text, out var session, out _));

        var audio = session.MediaDescriptions[0];
        Assert.Equal(new SdpConnection("IN", "IP4", "198.51.100.7"), session.GetConnection(audio));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 4000), session.GetRtpEndpoint(audio));
    }

    [Fact]
    public void TryParse_Utf8BytesWithBareLineFeeds_Parses()
    {
        var bytes = Encoding.UTF8.GetBytes(PbxOffer.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.True(SdpParser.TryParse(bytes, out var session, out var error), error);

        var audio = Assert.Single(session.MediaDescriptions);
        Assert.Equal(["8", "0", "101"], audio.Formats);
        Assert.Equal([8, 0, 101], audio.GetPayloadTypes());
        Assert.Equal(20, audio.Ptime);
        Assert.Equal("0-16", audio.GetFormatParameters(101));
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Fact]
    public void TryParse_Ipv6Connection_GivesIpv6Endpoint()
    {
        const string Text =
            "v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n";

        Assert.True(SdpParser.TryParse(Text, out var session, out _));

        Assert.Equal(
            new IPEndPoint(IPAddress.Parse("2001:db8::1"), 5004),
            session.GetRtpEndpoint(session.MediaDescriptions[0]));
    }

    [Fact]
    public void TryParse_HoldAddressOrPortZero_GivesNoEndpoint()
    {
        const string Text =
            "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n" +
            "m=audio 4000 RTP/AVP 0\r\nm=audio 0 RTP/AVP 0\r\nc=IN IP4 192.0.2.1\r\n";

        Assert.True(SdpParser.TryParse(Text, out var session, out _));

        Assert.Null(session.GetRtpEndpoint(session.MediaDescriptions[0]));
        Assert.True(session.MediaDescriptions[1].IsRejected);
        Assert.Null(session.GetRtpEndpoint(session.MediaDescriptions[1]));
    }

    [Fact]
    public void TryParse_HostNameConnection_ParsesButGivesNoEndpoint()
    {
        const string Text =
            "v=0\r\no=- 1 1 IN IP4 media.example.com\r\ns=-\r\nc=IN IP4 media.example.com\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

        Assert.True(SdpParser.TryParse(Text, out var session, out var error), error);

        Assert.Null(session.GetRtpEndpoint(session.MediaDescriptions[0]));
    }

    [Fact]
    public void TryParse_PortCountAndAttributeWithColonsInValue_AreKept()
    {
        const string Text =
            "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n" +
            "m=video 49170/2 RTP/AVP 31\r\nc=IN IP4 192.0.2.1\r\na=fingerprint:sha-256 AB:CD:EF\r\n";

        Assert.True(SdpParser.TryParse(Text, out var session, out _));

        var video = session.MediaDescriptions[0];
        Assert.Equal(2, video.PortCount);
        Assert.Equal("sha-256 AB:CD:EF", video.GetAttributeValue("fingerprint"));
    }

    [Fact]
    public void TryParse_MissingTimeLine_DefaultsToUnbounded()
    {
        const string Text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nm=audio 4000 RTP/AVP 0\r\n";

        Assert.True(SdpParser.TryParse(Text, out var session, out _));

        Assert.Equal([SdpTiming.Unbounded], session.Timings);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n", "first line must be v=")]
    [InlineData("v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", "unsupported SDP version")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", "missing o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", "missing s=")]
    [InlineData("v=0\r\no=- 1 IN IP4 192.0.2.1\r\ns=-\r\n", "expected '<username>")]
    [InlineData("v=0\r\no=- 1 x IN IP4 192.0.2.1\r\ns=-\r\n", "session version")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n", "duplicate o=")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 300.1.1.1\r\n", "not an IP4 address")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4\r\n", "expected '<nettype>")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0\r\n", "expected '<start-time>")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio\r\n", "expected '<media>")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\n", "bad port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio -1 RTP/AVP 0\r\n", "bad port")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000/0 RTP/AVP 0\r\n", "bad port count")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nx=unknown\r\n", "unknown line type")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\ns=again\r\n", "not allowed in a media description")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\na=\r\n", "attribute name")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nthis is not sdp\r\n", "expected '<letter>=<value>'")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nA=upper\r\n", "expected '<letter>=<value>'")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=\0\r\n", "control character")]
    public void TryParse_MalformedInput_ReturnsReason(string text, string expectedReason)
    {
        Assert.False(SdpParser.TryParse(text, out var session, out var error));

        Assert.Null(session);
        Assert.Contains(expectedReason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OversizedBody_IsRefused()
    {
        var bytes = new byte[SdpParser.MaxLength + 1];

        Assert.False(SdpParser.TryParse(bytes, out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(4566);
        var valid = Encoding.UTF8.GetBytes(PbxOffer);
        for (var round = 0; round < 5000; round++)
        {
            byte[] input;
            if (round % 2 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                input = input[..random.Next(input.Length + 1)];
            }

            var parsed = SdpParser.TryParse(input, out var session, out var error);

            Assert.Equal(parsed, session is not null);
            Assert.Equal(parsed, error is null);
        }
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsToTheSameText()
    {
        Assert.True(SdpParser.TryParse(PbxOffer, out var session, out _));

        var text = SdpSerializer.Serialize(session);

        Assert.Equal(PbxOffer, text);
        Assert.True(SdpParser.TryParse(SdpSerializer.SerializeToUtf8(session), out var again, out _));
        Assert.Equal(text, again.ToString());
    }

    [Fact]
    public void Serialize_WritesLinesInRfc4566Order()
    {
        Assert.True(SdpParser.TryParse(Rfc4566Example, out var session, out _));

        var types = SdpSerializer.Serialize(session)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[0]);

        // u= and e= are read but not kept.
        Assert.Equal("vosicta" + "m" + "ma", string.Concat(types));
    }
}
