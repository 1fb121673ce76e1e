using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace GatewayAgent.Domain.Numbers;

/// <summary>
/// Japanese phone numbers as the service handles them (FN-2, BF-2, BF-9, BF-12, BF-13 and the probe's Request-URI):
/// the same number written "03-1234-5678", "０３－１２３４－５６７８", "(03) 1234 5678", "+81 3 1234 5678" or
/// "+81 (0)3-1234-5678" is the one number "0312345678".
/// </summary>
public static class PhoneNumber
{
    /// <summary>Longer text is not a phone number in any notation (bounds the work for input from the network).</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The notation folded: trimmed; full-width digits and <c>＋ ＃ ＊</c> made ASCII; visual separators (hyphens and
    /// dashes of every width, the long-vowel mark typed for a hyphen, spaces, parentheses, dots) dropped; a leading
    /// <c>+81</c> replaced by the national <c>0</c> (an extra trunk <c>0</c> after it, "+81 (0)3", is dropped). Any other
    /// character is kept, so callers see it: <c>#</c> (hash dial, BF-9), <c>*</c> (a BF-13 search wildcard), a foreign
    /// <c>+</c>, letters.
    /// </summary>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var folded = new StringBuilder(Math.Min(value.Length, MaxLength + 1));
        foreach (var c in value.AsSpan().Trim())
        {
            if (IsSeparator(c))
            {
                continue;
            }

            folded.Append(c switch
            {
                >= '\uFF10' and <= '\uFF19' => (char)('0' + (c - '\uFF10')),
                '\uFF0B' => '+',
                '\uFF03' => '#',
                '\uFF0A' => '*',
                _ => c,
            });
        }

        if (folded.Length >= 3 && folded[0] == '+' && folded[1] == '8' && folded[2] == '1')
        {
            // +81 is Japan's country code: the national form replaces it with the trunk prefix 0.
            var national = folded.Length > 3 && folded[3] == '0' ? folded.Remove(0, 3) : folded.Remove(0, 3).Insert(0, '0');
            return national.ToString();
        }

        return folded.ToString();
    }

    /// <summary>
    /// The number as digits only, e.g. "0312345678"; null when <paramref name="value"/> is not a phone number in a
    /// notation <see cref="Fold"/> knows (empty, letters, <c>#</c>, <c>*</c>, a foreign country code, longer than
    /// <see cref="MaxLength"/>). Idempotent: a normalised number normalises to itself.
    /// </summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength)
        {
            return null;
        }

        var folded = Fold(value);
        return folded.Length > 0 && folded.All(char.IsAsciiDigit) ? folded : null;
    }

    /// <summary>A subscriber number of this service (a contract's or a destination's number): 10 or 11 digits starting with 0.</summary>
    public static bool IsSubscriberNumber([NotNullWhen(true)] string? normalized) =>
        normalized is { Length: 10 or 11 } && normalized[0] == '0' && normalized.All(char.IsAsciiDigit);

    private static bool IsSeparator(char c) => c is
        '-' or ' ' or '(' or ')' or '.' or '\t'
        or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' // hyphens, dashes, minus
        or '\u30FC' or '\uFF70' // the long-vowel mark (full and half width), often typed for a hyphen
        or '\uFF0D' or '\u3000' or '\uFF08' or '\uFF09' or '\uFF0E'; // full-width hyphen-minus, space, parentheses, dot
}
