using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>SS-7: the confirmation ID and confirmation password of a one-time-password registration.</summary>
[Trait("Ring", "unit")]
public sealed class OtpCredentialRulesTests
{
    [Theory]
    [InlineData("Abcdefg1")]
    [InlineData("aB345678")]
    [InlineData("abcDEFghiJKL")]
    public void ConfirmationId_Acceptable(string id) => Assert.Empty(OtpCredentialRules.CheckConfirmationId(id));

    [Theory]
    [InlineData("Abcdef1", OtpCredentialBreach.Length)]
    [InlineData("Abcdefghijk12", OtpCredentialBreach.Length)]
    [InlineData("12345678", OtpCredentialBreach.DigitsOnly)]
    [InlineData("abcdefg1", OtpCredentialBreach.SingleCase)]
    [InlineData("ABCDEFG1", OtpCredentialBreach.SingleCase)]
    [InlineData("Abcdefg_", OtpCredentialBreach.Characters)]
    [InlineData("Ａbcdefg1", OtpCredentialBreach.Characters)]
    [InlineData(null, OtpCredentialBreach.Length)]
    public void ConfirmationId_Refused(string? id, OtpCredentialBreach expected) =>
        Assert.Contains(expected, OtpCredentialRules.CheckConfirmationId(id));

    [Theory]
    [InlineData("abcdefg1")]
    [InlineData("1234567A")]
    [InlineData("a1b2c3d4e5f6")]
    public void ConfirmationPassword_Acceptable(string password) => Assert.Empty(OtpCredentialRules.CheckConfirmationPassword(password));

    [Theory]
    [InlineData("abcdefgh", OtpCredentialBreach.LettersAndDigits)]
    [InlineData("12345678", OtpCredentialBreach.LettersAndDigits)]
    [InlineData("abc1234", OtpCredentialBreach.Length)]
    [InlineData("abc12345678xy", OtpCredentialBreach.Length)]
    [InlineData("abc-1234", OtpCredentialBreach.Characters)]
    public void ConfirmationPassword_Refused(string password, OtpCredentialBreach expected) =>
        Assert.Contains(expected, OtpCredentialRules.CheckConfirmationPassword(password));

    [Fact]
    public void EveryBreach_HasAMessage()
    {
        foreach (var breach in Enum.GetValues<OtpCredentialBreach>())
        {
            Assert.False(string.IsNullOrWhiteSpace(OtpCredentialRules.Message(breach)));
        }
    }
}
