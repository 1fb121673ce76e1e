using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpRtpMapTests
{
    [Theory]
    [InlineData("0 PCMU/8000", 0, "PCMU", 8000, null)]
    [InlineData("96 telephone-event/8000", 96, "telephone-event", 8000, null)]
    [InlineData("97 opus/48000/2", 97, "opus", 48000, "2")]
    [InlineData(" 8  pcma/8000 ", 8, "pcma", 8000, null)]
    public void TryParse_Valid_ReadsFields(string value, int payloadType, string name, int clockRate, string? parameters)
    {
        Assert.True(SdpRtpMap.TryParse(value, out var rtpMap));
        Assert.Equal(new SdpRtpMap(payloadType, name, clockRate, parameters), rtpMap);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("PCMU/8000")]
    [InlineData("128 PCMU/8000")]
    [InlineData("0 PCMU")]
    [InlineData("0 PCMU/")]
    [InlineData("0 PCMU/0")]
    [InlineData("0 /8000")]
    [InlineData("x PCMU/8000")]
    public void TryParse_Invalid_ReturnsFalse(string? value)
    {
        Assert.False(SdpRtpMap.TryParse(value, out _));
    }

    [Fact]
    public void IsEncoding_ComparesCaseInsensitively()
    {
        Assert.True(new SdpRtpMap(8, "pcma", 8000).IsEncoding("PCMA"));
    }

    [Fact]
    public void ToString_WritesAttributeValue()
    {
        Assert.Equal("97 opus/48000/2", new SdpRtpMap(97, "opus", 48000, "2").ToString());
        Assert.Equal("101 telephone-event/8000", new SdpRtpMap(101, "telephone-event", 8000).ToString());
    }
}
