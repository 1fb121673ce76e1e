using System.Text;

namespace GatewayAgent.Domain.Text;

/// <summary>
/// FN-10 counts in full-width characters. A half-width character (ASCII U+0020-U+007E and half-width katakana
/// U+FF61-U+FF9F) counts as one half; every other character (kanji, kana, full-width forms, symbols, emoji) as one.
/// So "20 full-width characters" allows 20 kanji, or 40 ASCII letters, or any mix up to 20.0.
/// </summary>
public static class FullWidthLength
{
    /// <summary>Length in half-width units (full-width = 2).</summary>
    public static int HalfWidthUnits(string text)
    {
        var units = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            units += IsHalfWidth(rune) ? 1 : 2;
        }

        return units;
    }

    /// <summary>The reason <paramref name="text"/> breaks FN-10 for a limit of <paramref name="fullWidthLimit"/>, or null.</summary>
    public static string? Check(string text, int fullWidthLimit)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return "control characters (line breaks, tabs) are not allowed";
            }
        }

        var units = HalfWidthUnits(text);
        return units > fullWidthLimit * 2
            ? $"at most {fullWidthLimit} full-width characters (a half-width character counts as one half); this is {units / 2.0:0.#}"
            : null;
    }

    private static bool IsHalfWidth(Rune rune) => rune.Value is >= 0x20 and <= 0x7E or >= 0xFF61 and <= 0xFF9F;
}
