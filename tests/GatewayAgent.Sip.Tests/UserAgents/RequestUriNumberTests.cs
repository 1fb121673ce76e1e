using GatewayAgent.Sip.UserAgents;

namespace GatewayAgent.Sip.Tests.UserAgents;

/// <summary>The SIP syntax of a Request-URI user part is undone before the domain's number rule (FN-3).</summary>
[Trait("Ring", "unit")]
public sealed class RequestUriNumberTests
{
    [Theory]
    [InlineData("0312345678", "0312345678")]
    [InlineData("03-1234-5678", "0312345678")]
    [InlineData("+81-3-1234-5678", "0312345678")]
    [InlineData("+81312345678", "0312345678")]
    [InlineData("%2B81312345678", "0312345678")]
    [InlineData("0312345678;phone-context=example.com", "0312345678")]
    [InlineData("81312345678", "81312345678")]
    public void Of_FoldsNotations(string input, string expected) => Assert.Equal(expected, RequestUriNumber.Of(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x0312345678")] // was read as its digits, 0312345678, before the one rule
    [InlineData("+1-212-555-0100")]
    [InlineData("alice")]
    public void Of_RefusesWhatIsNotANumber(string? input) => Assert.Null(RequestUriNumber.Of(input));
}
