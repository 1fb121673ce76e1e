using GatewayAgent.Controller.Customers;

namespace GatewayAgent.Controller.Tests.Customers;

[Trait("Ring", "unit")]
public class NumberSearchTests
{
    [Theory]
    [InlineData("0312345678", "03", true)]
    [InlineData("0312345678", "4567", true)]
    [InlineData("0312345678", "0612", false)]
    [InlineData("0312345678", "03*78", true)]
    [InlineData("0312345678", "03*79", false)]
    [InlineData("0312345678", "*5678", true)]
    [InlineData("0312345678", "03-1234-*", true)]
    [InlineData("0312345678", "06*", false)]
    [InlineData("0312345678", "", true)]
    public void Part_of_a_number_or_a_wildcard_pattern_BF_13(string number, string pattern, bool expected) =>
        Assert.Equal(expected, NumberSearch.Matches(number, pattern));

    [Theory]
    [InlineData("0312345678", "０３－１２３４", true)]
    [InlineData("0312345678", "+81 3 *", true)]
    [InlineData("0312345678", "＋８１６*", false)]
    public void Patterns_fold_like_numbers_full_width_and_plus_81_BF_13(string number, string pattern, bool expected) =>
        Assert.Equal(expected, NumberSearch.Matches(number, pattern));
}
