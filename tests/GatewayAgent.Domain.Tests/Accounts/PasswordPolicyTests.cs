using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

[Trait("Ring", "unit")]
public sealed class PasswordPolicyTests
{
    [Theory]
    [InlineData("abc12def", new PasswordBreach[0])]
    [InlineData("Gw7kPq2x9Z", new PasswordBreach[0])]
    [InlineData("ab1", new[] { PasswordBreach.Length })]
    [InlineData("ab1cd2ef3gh4i", new[] { PasswordBreach.Length })]
    [InlineData("48215937", new[] { PasswordBreach.DigitsOnly })]
    [InlineData("ab1!cd2ef", new[] { PasswordBreach.Characters })]
    [InlineData("ａｂ1cd2ef", new[] { PasswordBreach.Characters })]
    [InlineData("x0000y9z", new[] { PasswordBreach.RepeatedCharacters })]
    [InlineData("xaAaAy9z", new[] { PasswordBreach.RepeatedCharacters })]
    [InlineData("x1234y9z", new[] { PasswordBreach.Sequence })]
    [InlineData("x9876y1z", new[] { PasswordBreach.Sequence })]
    [InlineData("9abcdx1z", new[] { PasswordBreach.Sequence })]
    [InlineData("9zYXwq1z", new[] { PasswordBreach.Sequence })]
    [InlineData("x9ab12cd", new PasswordBreach[0])] // runs of 2 and a letter/digit boundary are fine
    [InlineData("a0312345678", new[] { PasswordBreach.ContainsPhoneNumber, PasswordBreach.Sequence })]
    public void Check_names_each_rule_broken_SS_5(string password, PasswordBreach[] expected) =>
        Assert.Equal(expected.Order(), PasswordPolicy.Check(password, ["0312345678"]).Order());

    [Fact]
    public void Null_or_empty_is_refused_for_its_length_SS_5()
    {
        Assert.Contains(PasswordBreach.Length, PasswordPolicy.Check(null, []));
        Assert.Contains(PasswordBreach.Length, PasswordPolicy.Check("", []));
    }

    [Fact]
    public void The_same_as_the_current_password_is_refused_SS_5() =>
        Assert.Equal([PasswordBreach.SameAsCurrent], PasswordPolicy.Check("abc12def", [], p => p == "abc12def"));

    [Fact]
    public void A_password_expires_after_60_days_SS_5()
    {
        var set = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(PasswordPolicy.IsExpired(set, set.AddDays(60).AddTicks(-1)));
        Assert.True(PasswordPolicy.IsExpired(set, set.AddDays(60)));
    }

    [Fact]
    public void Messages_are_Japanese_SS_5() =>
        Assert.Equal("電話番号を含むパスワードは使用できません。", PasswordPolicy.Message(PasswordBreach.ContainsPhoneNumber));
}
