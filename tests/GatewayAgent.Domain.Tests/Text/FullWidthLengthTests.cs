using GatewayAgent.Domain.Text;

namespace GatewayAgent.Domain.Tests.Text;

[Trait("Ring", "unit")]
public sealed class FullWidthLengthTests
{
    [Theory]
    [InlineData("株式会社テスト", 14)]
    [InlineData("ABC", 3)]
    [InlineData("ｶﾌﾞｼｷ", 5)]
    [InlineData("本社3F", 6)]
    [InlineData("😀", 2)]
    public void Half_width_characters_count_one_half_FN_10(string text, int halfWidthUnits) =>
        Assert.Equal(halfWidthUnits, FullWidthLength.HalfWidthUnits(text));

    [Theory]
    [InlineData("株式会社テスト株式会社テスト株式会社テ", 20, true)] // 19 kanji/kana
    [InlineData("株式会社テスト株式会社テスト株式会社テス", 20, true)] // 20
    [InlineData("株式会社テスト株式会社テスト株式会社テスト", 20, false)] // 21
    [InlineData("株式会社テスト株式会社テスト株式会社テスA", 20, false)] // 20.5
    [InlineData("ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJ", 20, true)] // 40 half-width = 20
    public void Check_counts_against_the_full_width_limit_FN_10(string text, int limit, bool accepted) =>
        Assert.Equal(accepted, FullWidthLength.Check(text, limit) is null);

    [Theory]
    [InlineData("本社\n3F")]
    [InlineData("本社\t3F")]
    public void Check_refuses_control_characters_FN_10(string text) =>
        Assert.Contains("control characters", FullWidthLength.Check(text, 32), StringComparison.Ordinal);
}
