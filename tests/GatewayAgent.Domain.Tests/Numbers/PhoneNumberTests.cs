using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Domain.Tests.Numbers;

[Trait("Ring", "unit")]
public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("0312345678", "0312345678")]
    [InlineData("03-1234-5678", "0312345678")]
    [InlineData("+81-3-1234-5678", "0312345678")]
    [InlineData("+81312345678", "0312345678")]
    [InlineData("81312345678", "81312345678")] // no '+': not a country code
    [InlineData(" (03) 1234 5678 ", "0312345678")]
    [InlineData("03.1234.5678", "0312345678")]
    [InlineData("０３－１２３４－５６７８", "0312345678")]
    [InlineData("０３ー１２３４ー５６７８", "0312345678")] // the long-vowel mark typed for a hyphen
    [InlineData("０３\u30001234\u20105678", "0312345678")]
    [InlineData("＋８１－９０－１２３４－５６７８", "09012345678")]
    [InlineData("+81 (0)3-1234-5678", "0312345678")]
    [InlineData("+81 90 1234 5678", "09012345678")]
    [InlineData("+81-090-1234-5678", "09012345678")] // after +81 a 0 can only be the trunk prefix
    public void Normalize_FoldsNotations(string input, string expected) => Assert.Equal(expected, PhoneNumber.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("03-1234-567x")]
    [InlineData("x0312345678")]
    [InlineData("#1234")]
    [InlineData("03*5678")]
    [InlineData("+1 212 555 0100")]
    [InlineData("0312345678;phone-context=example.com")] // SIP syntax is undone by the SIP stack, not here
    [InlineData("山田")]
    public void Normalize_RefusesWhatIsNotANumber(string? input) => Assert.Null(PhoneNumber.Normalize(input));

    [Fact]
    public void Normalize_RefusesTextLongerThanTheBound() =>
        Assert.Null(PhoneNumber.Normalize(new string('0', PhoneNumber.MaxLength + 1)));

    [Theory]
    [InlineData("03-*-5678", "03*5678")]
    [InlineData("＃１２３４", "#1234")]
    [InlineData("+81 3 *", "03*")]
    public void Fold_KeepsWhatIsNotASeparator(string input, string expected) => Assert.Equal(expected, PhoneNumber.Fold(input));

    [Theory]
    [InlineData("0312345678", true)]
    [InlineData("09012345678", true)]
    [InlineData("031234567", false)]
    [InlineData("090123456789", false)]
    [InlineData("3123456789", false)]
    [InlineData(null, false)]
    public void IsSubscriberNumber_TenOrElevenDigitsStartingWithZero(string? number, bool expected) =>
        Assert.Equal(expected, PhoneNumber.IsSubscriberNumber(number));
}
