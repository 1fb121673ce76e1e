using System.Net;
using GatewayAgent.Sip.Sdp;

namespace GatewayAgent.Sip.Tests.Sdp;

[Trait("Ring", "unit")]
public sealed class SdpConnectionTests
{
    [Fact]
    public void FromIPAddress_Ipv4_WritesInIp4()
    {
        Assert.Equal("IN IP4 192.0.2.5", SdpConnection.FromIPAddress(IPAddress.Parse("192.0.2.5")).ToString());
    }

    [Fact]
    public void FromIPAddress_Ipv6_WritesInIp6()
    {
        Assert.Equal("IN IP6 2001:db8::5", SdpConnection.FromIPAddress(IPAddress.Parse("2001:db8::5")).ToString());
    }

    [Fact]
    public void FromIPAddress_Ipv4MappedIpv6_WritesTheIpv4Form()
    {
        var mapped = IPAddress.Parse("192.0.2.5").MapToIPv6();

        Assert.Equal("IN IP4 192.0.2.5", SdpConnection.FromIPAddress(mapped).ToString());
    }

    [Theory]
    [InlineData("IN", "IP4", "192.0.2.5", "192.0.2.5")]
    [InlineData("IN", "IP4", "224.2.1.1/127", "224.2.1.1")]
    [InlineData("in", "ip4", "192.0.2.5", "192.0.2.5")]
    [InlineData("IN", "IP6", "::1", "::1")]
    public void TryGetIPAddress_IpLiteral_ReturnsIt(string networkType, string addressType, string address, string expected)
    {
        Assert.True(new SdpConnection(networkType, addressType, address).TryGetIPAddress(out var parsed));
        Assert.Equal(IPAddress.Parse(expected), parsed);
    }

    [Theory]
    [InlineData("IN", "IP4", "1")] // IPAddress.TryParse would accept this as 0.0.0.1
    [InlineData("IN", "IP4", "::1")]
    [InlineData("IN", "IP6", "192.0.2.5")]
    [InlineData("IN", "IP4", "host.example.com")]
    [InlineData("ATM", "NSAP", "47.0005.80.ffe100.0000.f21a.01ab.cdef.0123.4567.0001")]
    public void TryGetIPAddress_NotAnIpLiteralOfThatFamily_ReturnsFalse(string networkType, string addressType, string address)
    {
        Assert.False(new SdpConnection(networkType, addressType, address).TryGetIPAddress(out _));
    }
}
