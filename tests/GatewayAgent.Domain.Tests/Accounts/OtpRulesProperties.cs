using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Domain.Tests.Accounts;

/// <summary>SS-7: the one-time password's form, expiry and the link token, over generated values.</summary>
[Trait("Ring", "unit")]
public sealed class OtpRulesProperties
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 500)]
    public bool A_new_code_is_always_six_digits_and_has_the_code_form_SS_7(PositiveInt _) =>
        OtpRules.NewCode() is var code && code.Length == OtpRules.CodeDigits && OtpRules.IsCodeForm(code);

    [Property]
    public Property Code_form_is_exactly_six_ascii_digits_SS_7(string? text) =>
        (OtpRules.IsCodeForm(text) == (text is { Length: 6 } && text.All(c => c is >= '0' and <= '9'))).Label(text ?? "null");

    [Property]
    public Property A_code_is_valid_exactly_for_300_seconds_SS_7(NonNegativeInt milliseconds)
    {
        var elapsed = TimeSpan.FromMilliseconds(milliseconds.Get % 1_000_000);
        var expired = OtpRules.IsExpired(Start + OtpRules.CodeValidity, Start + elapsed);
        return (expired == (elapsed >= TimeSpan.FromSeconds(300))).Label(elapsed.ToString());
    }

    [Property]
    public Property A_link_is_valid_exactly_for_24_hours_SS_7(NonNegativeInt seconds)
    {
        var elapsed = TimeSpan.FromSeconds(seconds.Get % 200_000);
        var expired = OtpRules.IsExpired(Start + OtpRules.ConfirmationLinkValidity, Start + elapsed);
        return (expired == (elapsed >= TimeSpan.FromHours(24))).Label(elapsed.ToString());
    }

    [Property(MaxTest = 200)]
    public bool Tokens_are_url_safe_unique_and_stored_only_as_their_hash_SS_7(PositiveInt _)
    {
        var (a, b) = (OtpRules.NewToken(), OtpRules.NewToken());
        return a != b && a.Length >= 43 && a.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            && OtpRules.HashToken(a) == OtpRules.HashToken(a) && OtpRules.HashToken(a) != OtpRules.HashToken(b) && !OtpRules.HashToken(a).Contains(a, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limits_are_those_of_the_rule_SS_7_SS_6()
    {
        Assert.Equal(TimeSpan.FromSeconds(300), OtpRules.CodeValidity);
        Assert.Equal(TimeSpan.FromHours(24), OtpRules.ConfirmationLinkValidity);
        Assert.Equal(LockoutRules.MaxWrongPasswords, OtpRules.MaxWrongConfirmations);
        Assert.Equal(3, OtpRules.MaxWrongCodes);
    }
}
