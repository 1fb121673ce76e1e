using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

[Trait("Ring", "unit")]
public sealed class LockoutRulesTests
{
    [Fact]
    public void The_limits_are_those_of_SS_6()
    {
        Assert.Equal(10, LockoutRules.MaxWrongPasswords);
        Assert.Equal(3, LockoutRules.MaxWrongTemporaryPasswords);
        Assert.Equal(TimeSpan.FromHours(24), LockoutRules.TemporaryPasswordValidity);
    }

    [Fact]
    public void A_temporary_password_expires_after_24_hours_SS_6()
    {
        var issued = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.False(LockoutRules.IsTemporaryPasswordExpired(issued, issued.AddHours(24).AddTicks(-1)));
        Assert.True(LockoutRules.IsTemporaryPasswordExpired(issued, issued.AddHours(24)));
    }

    [Theory]
    [InlineData("12345678", true)]
    [InlineData("1234567", false)]
    [InlineData("123456789", false)]
    [InlineData("1234567a", false)]
    [InlineData("１２３４５６７８", false)]
    [InlineData(null, false)]
    public void A_temporary_password_is_8_digits_SS_3(string? digits, bool expected) =>
        Assert.Equal(expected, LockoutRules.IsTemporaryPasswordForm(digits));
}
