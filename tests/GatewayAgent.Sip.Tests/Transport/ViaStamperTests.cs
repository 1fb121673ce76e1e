using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transport;

[Trait("Ring", "unit")]
public sealed class ViaStamperTests
{
    private static readonly IPEndPoint Source = IPEndPoint.Parse("198.51.100.7:40000");

    [Theory]
    [InlineData("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=198.51.100.7")]
    [InlineData("SIP/2.0/UDP phone.example.com;branch=z9hG4bK1", "SIP/2.0/UDP phone.example.com;branch=z9hG4bK1;received=198.51.100.7")]
    [InlineData("SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1", null)]
    [InlineData("SIP/2.0/UDP 198.51.100.7:5060;rport;branch=z9hG4bK1", "SIP/2.0/UDP 198.51.100.7:5060;rport=40000;branch=z9hG4bK1;received=198.51.100.7")]
    [InlineData("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=40000;received=198.51.100.7")]
    [InlineData("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=1234", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=1234;received=198.51.100.7")]
    public void Stamp_AddsReceivedAndRport(string via, string? expected)
    {
        var request = Request(via, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKsecond");

        var changed = ViaStamper.Stamp(request, Source);

        Assert.Equal(expected is not null, changed);
        Assert.Equal([expected ?? via, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKsecond"], request.Headers.GetValues(HeaderNames.Via));
        Assert.Equal(expected ?? via, request.TopVia!.ToString());
    }

    [Fact]
    public void Stamp_LoneVia_KeepsItsPlaceAmongTheHeaders()
    {
        var request = Request("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport");
        var before = request.Headers.Select(h => h.Name).ToList();

        ViaStamper.Stamp(request, Source);

        Assert.Equal(before, request.Headers.Select(h => h.Name));
        Assert.Equal(40000, request.TopVia!.Rport);
    }

    [Fact]
    public void Stamp_KeepsTheParsedHeaders_AndStampsTheParsedTopVia()
    {
        var request = Request("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport", "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKsecond");
        var (top, second, from, to) = (request.TopVia, request.Vias[1], request.From, request.To);

        Assert.True(ViaStamper.Stamp(request, Source));

        Assert.Same(top, request.TopVia); // stamped in place, not parsed again
        Assert.Same(second, request.Vias[1]);
        Assert.Same(from, request.From);
        Assert.Same(to, request.To);
        Assert.Equal("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport=40000;received=198.51.100.7", request.Headers[HeaderNames.Via]);
        Assert.Equal(request.Headers[HeaderNames.Via], request.TopVia!.ToString());
    }

    [Fact]
    public void Stamp_IPv4MappedSource_IsWrittenAsIPv4()
    {
        var request = Request("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1");

        ViaStamper.Stamp(request, new IPEndPoint(IPAddress.Parse("198.51.100.7").MapToIPv6(), 5060));

        Assert.Equal("198.51.100.7", request.TopVia!.Received);
    }

    [Fact]
    public void Stamp_IPv6Source_IsWrittenWithoutBrackets()
    {
        var request = Request("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport");

        ViaStamper.Stamp(request, IPEndPoint.Parse("[2001:db8::9]:40000"));

        Assert.Equal("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport=40000;received=2001:db8::9", request.TopVia!.ToString());
    }

    [Fact]
    public void Stamp_SentByEqualToTheIPv6Source_AddsNoReceived()
    {
        var request = Request("SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1");

        Assert.False(ViaStamper.Stamp(request, IPEndPoint.Parse("[2001:db8::9]:40000")));
    }

    private static SipRequest Request(params string[] vias)
    {
        var text = "OPTIONS sip:gw@192.0.2.10 SIP/2.0\r\n" +
            string.Concat(vias.Select(v => $"Via: {v}\r\n")) +
            "Max-Forwards: 70\r\nTo: <sip:gw@192.0.2.10>\r\nFrom: <sip:a@example.com>;tag=1\r\n" +
            "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        var result = SipParser.Parse(text);
        Assert.True(result.IsValid, result.ToString());
        return (SipRequest)result.Message!;
    }
}
