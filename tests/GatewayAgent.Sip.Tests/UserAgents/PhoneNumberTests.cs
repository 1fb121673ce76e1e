using GatewayAgent.Sip.UserAgents;

namespace GatewayAgent.Sip.Tests.UserAgents;

[Trait("Ring", "unit")]
public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("0312345678", "0312345678")]
    [InlineData("03-1234-5678", "0312345678")]
    [InlineData("+81-3-1234-5678", "0312345678")]
    [InlineData("+81312345678", "0312345678")]
    [InlineData("%2B81312345678", "0312345678")]
    [InlineData("0312345678;phone-context=example.com", "0312345678")]
    [InlineData("81312345678", "81312345678")]
    [InlineData(null, "")]
    public void Normalize_FoldsNotations(string? input, string expected) => Assert.Equal(expected, PhoneNumber.Normalize(input));
}
