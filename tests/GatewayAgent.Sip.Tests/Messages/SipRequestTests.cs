using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Tests.Support;

namespace GatewayAgent.Sip.Tests.Messages;

/// <summary>Responses built from requests (RFC 3261 §8.2.6, §12.1.1).</summary>
[Trait("Ring", "unit")]
public sealed class SipRequestTests
{
    private static SipRequest Request(string method = "INVITE") =>
        (SipRequest)SipParser.Parse(TestMessages.Invite(method: method)
            .Replace("Max-Forwards: 70", "Max-Forwards: 70\nRecord-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\nTimestamp: 54")
            .ReplaceLineEndings("\r\n")).Message!;

    [Fact]
    public void Response_CopiesTheTransactionHeaders_AndAddsTheToTag()
    {
        var response = Request().CreateResponse(486, null, "t1");

        Assert.Equal("Busy Here", response.ReasonPhrase);
        Assert.Equal("call-1", response.CallId);
        Assert.Equal(new CSeqHeader(1, "INVITE"), response.CSeq);
        Assert.Equal("z9hG4bK-1", response.TopVia!.Branch);
        Assert.Equal("ft1", response.From!.Tag);
        Assert.Equal("t1", response.To!.Tag);
    }

    [Fact]
    public void Trying_HasNoToTag_AndEchoesTheTimestamp()
    {
        var response = Request().CreateResponse(100, null, "t1");

        Assert.Null(response.To!.Tag);
        Assert.Equal("54", response.Headers[HeaderNames.Timestamp]);
    }

    [Theory]
    [InlineData(180, true)]
    [InlineData(200, true)]
    [InlineData(486, false)]
    public void DialogCreatingResponses_CarryTheRecordRoutes(int status, bool expected)
    {
        var response = Request().CreateResponse(status, null, "t1");

        Assert.Equal(expected ? 2 : 0, response.Headers.CountOf(HeaderNames.RecordRoute));
    }

    [Fact]
    public void CreateResponse_DoesNotChangeTheRequest()
    {
        var request = Request();
        _ = request.CreateResponse(200, null, "t1");

        Assert.Null(request.To!.Tag);
    }
}
