using GatewayAgent.Domain.Mail;

namespace GatewayAgent.Domain.Tests.Mail;

/// <summary>FN-9 address rules, and the 254-character limit both the settings and the outbox apply.</summary>
[Trait("Ring", "unit")]
public sealed class MailAddressRuleTests
{
    [Theory]
    [InlineData("holder@example.jp")]
    [InlineData("a.b-c_d!$%'*+/?^#@mail.example.jp")]
    [InlineData("0312345678@docomo.ne.jp")]
    public void Addresses_within_the_rules_are_valid_FN_9(string address)
    {
        Assert.True(MailAddressRule.IsValid(address));
        Assert.Null(MailAddressRule.Check(address));
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("no-at-sign", "exactly one @")]
    [InlineData("@example.jp", "must not start with @")]
    [InlineData("two@@example.jp", "exactly one @")]
    [InlineData("a@b@example.jp", "exactly one @")]
    [InlineData("holder@", "must not end with @ or .")]
    [InlineData("holder@example.jp.", "must not end with @ or .")]
    [InlineData("holder name@example.jp", "' ' is not allowed")]
    [InlineData("山田@example.jp", "'山' is not allowed")]
    [InlineData("a&b@example.jp", "'&' is not allowed")]
    public void Addresses_breaking_a_rule_are_invalid_FN_9(string? address, string reason)
    {
        Assert.False(MailAddressRule.IsValid(address));
        Assert.Contains(reason, MailAddressRule.Check(address), StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_of_254_characters_is_the_longest_accepted()
    {
        var longest = new string('a', 254 - "@example.jp".Length) + "@example.jp";
        Assert.Equal(254, longest.Length);
        Assert.True(MailAddressRule.IsValid(longest));
        Assert.Equal("at most 254 characters", MailAddressRule.Check("a" + longest));
    }
}
