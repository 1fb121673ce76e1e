using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "unit")]
public sealed class ResponseRoutingTests
{
    private static readonly SipTarget UdpSource = new(SipTransportKind.Udp, IPEndPoint.Parse("198.51.100.7:40000"));
    private static readonly SipTarget TcpSource = new(SipTransportKind.Tcp, IPEndPoint.Parse("198.51.100.7:40000"));

    [Theory]
    [InlineData("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1;received=198.51.100.7;rport=40000", "198.51.100.7:40000")]
    [InlineData("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1;received=198.51.100.7", "198.51.100.7:5062")]
    [InlineData("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;received=198.51.100.7", "198.51.100.7:5060")]
    [InlineData("SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bK1", "198.51.100.7:5070")]
    [InlineData("SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK1", "198.51.100.7:5060")]
    [InlineData("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1;maddr=239.255.255.1;received=198.51.100.7;rport=40000", "198.51.100.7:40000")]
    [InlineData("SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK1;maddr=127.0.0.2", "198.51.100.7:5062")]
    [InlineData("SIP/2.0/UDP phone.example.com:5062;branch=z9hG4bK1", "198.51.100.7:40000")]
    [InlineData("SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1;rport=40001", "198.51.100.7:40001")]
    [InlineData("SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK1;received=2001:db8::9;rport=40000", "[2001:db8::9]:40000")]
    [InlineData("SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK1", "[2001:db8::1]:5062")]
    [InlineData("SIP/2.0/UDP 127.0.0.1:0;branch=z9hG4bK1;received=198.51.100.7", "198.51.100.7:40000")]
    public void GetResponseTarget_Udp_FollowsRfc3261And3581(string via, string expected)
    {
        var target = ResponseRouting.GetResponseTarget(Parse(via), UdpSource);

        Assert.Equal(new SipTarget(SipTransportKind.Udp, IPEndPoint.Parse(expected)), target);
    }

    [Fact]
    public void GetResponseTarget_ViaMaddr_IsIgnored_TheResponseGoesToTheSource()
    {
        // docs/security.md: a stranger's maddr must not point our responses at a third party.
        var via = Parse("SIP/2.0/UDP 198.51.100.7:40000;branch=z9hG4bK1;maddr=127.0.0.2;rport");
        via.Parameters.Set("rport", "40000");

        Assert.Equal(UdpSource, ResponseRouting.GetResponseTarget(via, UdpSource));
    }

    [Fact]
    public void GetResponseTarget_Reliable_GoesBackToTheSourceConnection()
    {
        var via = Parse("SIP/2.0/TCP 192.0.2.1:5062;branch=z9hG4bK1;received=203.0.113.1;rport=1234");

        Assert.Equal(TcpSource, ResponseRouting.GetResponseTarget(via, TcpSource));
    }

    [Fact]
    public void GetResponseTarget_WithoutVia_IsTheSource() =>
        Assert.Equal(UdpSource, ResponseRouting.GetResponseTarget(null, UdpSource));

    [Fact]
    public void GetReliableFallbackTarget_IsReceivedWithTheSentByPort()
    {
        var via = Parse("SIP/2.0/TCP 192.0.2.1:5062;branch=z9hG4bK1;received=198.51.100.7");

        Assert.Equal(
            new SipTarget(SipTransportKind.Tcp, IPEndPoint.Parse("198.51.100.7:5062")),
            ResponseRouting.GetReliableFallbackTarget(via, TcpSource));
        Assert.Null(ResponseRouting.GetReliableFallbackTarget(via, UdpSource));
    }

    private static ViaHeader Parse(string value)
    {
        Assert.True(ViaHeader.TryParse(value, out var via));
        return via;
    }
}
