using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Domain.Tests.Numbers;

/// <summary>BF-9: the table's classes and the web form's notes, each in the plain and a disguised notation.</summary>
[Trait("Ring", "unit")]
public sealed class RestrictedDestinationTests
{
    [Theory]
    [InlineData("0070-12-3456", "carrier access")] // web form: 0070
    [InlineData("0077-123-456", "carrier access")] // web form: 0077
    [InlineData("0088-22-1234", "carrier access")] // web form: 0088
    [InlineData("001-1-212-555-0100", "carrier access")] // web form: 001
    [InlineData("0081-3-1234-5678", "carrier access")] // web form: 0081
    [InlineData("0033-010-1-212", "carrier access")] // 00XY
    [InlineData("010-1-212-555-0100", "international")]
    [InlineData("+1 212 555 0100", "international")]
    [InlineData("060-1234-5678", "e-call")]
    [InlineData("0120-123-456", "free-dial")]
    [InlineData("0800-123-4567", "free-dial")]
    [InlineData("0570-123-456", "navi-dial")]
    [InlineData("0180-99-1234", "telegong")]
    [InlineData("100", "3-digit")]
    [InlineData("104", "3-digit")]
    [InlineData("110", "3-digit")]
    [InlineData("119", "3-digit")]
    [InlineData("#8000", "hash dial")]
    [InlineData("＃８０００", "hash dial")]
    [InlineData("０１２０－１２３－４５６", "free-dial")]
    [InlineData("+81-120-123-456", "free-dial")]
    [InlineData("+81 (0)570 123 456", "navi-dial")]
    [InlineData("＋８１８００１２３４５６７", "free-dial")]
    [InlineData(" 0 1 2 0 1 2 3 4 5 6 ", "free-dial")]
    public void Check_RefusesEveryRestrictedClass_BF_9(string destination, string reason) =>
        Assert.Contains(reason, RestrictedDestination.Check(destination), StringComparison.Ordinal);

    [Theory]
    [InlineData("03-1234-5678")]
    [InlineData("06-6789-1234")]
    [InlineData("011-222-3333")] // Sapporo: 01 but not 010/0120/0180
    [InlineData("090-1234-5678")]
    [InlineData("080-1234-5678")] // mobile 080, not free-dial 0800
    [InlineData("070-1234-5678")]
    [InlineData("050-1234-5678")]
    [InlineData("+81 90 1234 5678")]
    [InlineData("")]
    [InlineData(null)]
    public void Check_AllowsOrdinaryNumbers_BF_9(string? destination) => Assert.Null(RestrictedDestination.Check(destination));
}
