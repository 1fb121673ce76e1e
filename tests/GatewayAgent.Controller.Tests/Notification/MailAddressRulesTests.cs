using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>FN-9 address rules.</summary>
[Trait("Ring", "unit")]
public class MailAddressRulesTests
{
    [Theory]
    [InlineData("holder@example.jp")]
    [InlineData("a.b-c_d!$%'*+/?^#@mail.example.jp")]
    [InlineData("0312345678@docomo.ne.jp")]
    public void Addresses_within_the_rules_are_valid(string address) => Assert.True(MailAddressRules.IsValid(address));

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("@example.jp")]
    [InlineData("two@@example.jp")]
    [InlineData("a@b@example.jp")]
    [InlineData("holder@")]
    [InlineData("holder@example.jp.")]
    [InlineData("holder name@example.jp")]
    [InlineData("山田@example.jp")]
    [InlineData("a&b@example.jp")]
    public void Addresses_breaking_a_rule_are_invalid(string address) => Assert.False(MailAddressRules.IsValid(address));
}
