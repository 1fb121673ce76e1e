using GatewayAgent.Controller.Ivr;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Controller.Tests.Ivr;

/// <summary>SS-3: the calling line is read from P-Asserted-Identity (RFC 3325), never from From.</summary>
[Trait("Ring", "unit")]
public sealed class AssertedIdentityTests
{
    [Theory]
    [InlineData("<sip:0312345678@edge.example>", "0312345678")]
    [InlineData("\"Office\" <sip:+81312345678@edge.example;user=phone>", "0312345678")]
    [InlineData("<tel:+81-3-1234-5678>", "0312345678")]
    [InlineData("\"a, b\" <sip:anonymous@edge>, <tel:09012345678>", "09012345678")]
    [InlineData("<sip:anonymous@anonymous.invalid>", null)]
    [InlineData("<sip:123@edge>", null)]
    [InlineData("garbage", null)]
    public void AssertedNumber_IsTheFirstPhoneNumberNamed(string header, string? expected)
    {
        var request = new SipRequest(SipMethods.Invite, SipUri.Parse("sip:0120000000@ivr"));
        request.Headers.Add("From", "<sip:0399999999@caller>;tag=1");
        request.Headers.Add("P-Asserted-Identity", header);

        Assert.Equal(expected, IvrAnswerer.AssertedNumber(request));
    }

    [Fact]
    public void WithoutPAsertedIdentity_ThereIsNoCallingLine_WhateverFromSays()
    {
        var request = new SipRequest(SipMethods.Invite, SipUri.Parse("sip:0120000000@ivr"));
        request.Headers.Add("From", "<sip:0312345678@caller>;tag=1");

        Assert.Null(IvrAnswerer.AssertedNumber(request));
    }
}
