using System.Text;
using GatewayAgent.Sip.Dtmf;

namespace GatewayAgent.Sip.Tests.Dtmf;

/// <summary>SIP INFO bodies of type application/dtmf-relay, as phones and gateways write them (the IVR, SS-3).</summary>
[Trait("Ring", "unit")]
public sealed class DtmfRelayTests
{
    [Theory]
    [InlineData("Signal=5\r\nDuration=160\r\n", '5', 160)]
    [InlineData("Signal=#\nDuration=250\n", '#', 250)]
    [InlineData("signal = *\r\nduration= 100", '*', 100)]
    [InlineData("Signal=0", '0', null)]
    [InlineData("Duration=160\r\nSignal=9\r\n", '9', 160)]
    [InlineData("Signal=a\r\n", 'A', null)]
    public void Parse_ReadsTheKeyAndTheDuration(string body, char key, int? milliseconds)
    {
        Assert.True(DtmfRelay.TryParse(Encoding.UTF8.GetBytes(body), out var read, out var duration, out var error), error);
        Assert.Equal(key, read);
        Assert.Equal(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, duration);
    }

    [Theory]
    [InlineData("", "no Signal")]
    [InlineData("Duration=160\r\n", "no Signal")]
    [InlineData("Signal=55\r\n", "not a DTMF key")]
    [InlineData("Signal=x\r\n", "not a DTMF key")]
    [InlineData("Signal=\r\n", "not a DTMF key")]
    [InlineData("Signal=1\r\nDuration=-5\r\n", "not a number")]
    [InlineData("Signal=1\r\nDuration=abc\r\n", "not a number")]
    [InlineData("garbage\r\n", "name=value")]
    public void Parse_RefusesWhatNamesNoKey_WithTheReason(string body, string reason)
    {
        Assert.False(DtmfRelay.TryParse(Encoding.UTF8.GetBytes(body), out _, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAnOversizedOrNonTextBody()
    {
        Assert.False(DtmfRelay.TryParse(Encoding.UTF8.GetBytes("Signal=1\r\n" + new string(' ', 2000)), out _, out _, out var tooLong));
        Assert.Contains("too long", tooLong, StringComparison.Ordinal);
        Assert.False(DtmfRelay.TryParse([0x53, 0xFF, 0xFE], out _, out _, out var binary));
        Assert.Contains("UTF-8", binary, StringComparison.Ordinal);
    }
}
