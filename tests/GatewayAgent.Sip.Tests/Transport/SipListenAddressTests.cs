using System.Net;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "unit")]
public sealed class SipListenAddressTests
{
    [Theory]
    [InlineData("udp:0.0.0.0:5060", SipTransportKind.Udp, "0.0.0.0", 5060)]
    [InlineData("tcp:[::]:5060", SipTransportKind.Tcp, "::", 5060)]
    [InlineData("udp:127.0.0.1:0", SipTransportKind.Udp, "127.0.0.1", 0)]
    [InlineData("TCP:[::1]:5070", SipTransportKind.Tcp, "::1", 5070)]
    [InlineData(" udp:192.0.2.1 ", SipTransportKind.Udp, "192.0.2.1", 5060)]
    [InlineData("udp:[2001:db8::1]", SipTransportKind.Udp, "2001:db8::1", 5060)]
    public void TryParse_WellFormed_GivesTransportAddressAndPort(string text, SipTransportKind transport, string address, int port)
    {
        Assert.True(SipListenAddress.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(transport, parsed.Transport);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), parsed.EndPoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("0.0.0.0:5060", "unknown transport")]
    [InlineData("sctp:0.0.0.0:5060", "unknown transport 'sctp'")]
    [InlineData("udp:", "missing address")]
    [InlineData("udp:0.0.0.0:", "missing port")]
    [InlineData("udp:0.0.0.0:65536", "port '65536'")]
    [InlineData("udp:0.0.0.0:-1", "port '-1'")]
    [InlineData("udp:0.0.0.0:50x", "port '50x'")]
    [InlineData("udp:::1:5060", "brackets")]
    [InlineData("tcp:[::1:5060", "missing ']'")]
    [InlineData("tcp:[::1]5060", "unexpected '5060'")]
    [InlineData("udp:gateway.example.com:5060", "not an IP address literal")]
    [InlineData("udp:10.1:5060", "not an IP address literal")]
    [InlineData("udp:[127.0.0.1]:5060", "not an IP address literal")]
    public void TryParse_Malformed_FailsWithAClearError(string text, string expected)
    {
        Assert.False(SipListenAddress.TryParse(text, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Malformed_ThrowsFormatExceptionNamingTheInput()
    {
        var ex = Assert.Throws<FormatException>(() => SipListenAddress.Parse("udp:nowhere"));
        Assert.Contains("udp:nowhere", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("udp:0.0.0.0:5060")]
    [InlineData("tcp:[::]:5060")]
    [InlineData("udp:127.0.0.1:0")]
    public void ToString_RoundTrips(string text)
    {
        var parsed = SipListenAddress.Parse(text);
        Assert.Equal(text, parsed.ToString());
        Assert.Equal(parsed, SipListenAddress.Parse(parsed.ToString()));
    }

    [Theory]
    [InlineData("udp:0.0.0.0:5060", true)]
    [InlineData("tcp:[::]:5060", true)]
    [InlineData("udp:127.0.0.1:5060", false)]
    public void IsWildcard_IsTrueForTheAnyAddresses(string text, bool wildcard) =>
        Assert.Equal(wildcard, SipListenAddress.Parse(text).IsWildcard);
}
