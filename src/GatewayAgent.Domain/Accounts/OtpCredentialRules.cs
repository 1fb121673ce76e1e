namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-7: the rules of the two secrets that protect a number's one-time-password registration, once for every host
/// (the settings site's registration and change pages, the SS-8 bulk CSV).
/// <list type="bullet">
/// <item>Confirmation ID (確認用ID): 8–12 half-width letters and digits, not digits only, and — as the stricter of
/// the guide's pages asks — not letters of one case only (a mix of upper and lower case).</item>
/// <item>Confirmation password (確認用パスワード): 8–12 half-width letters and digits, with both letters and digits.</item>
/// </list>
/// </summary>
public static class OtpCredentialRules
{
    public const int MinLength = 8;

    public const int MaxLength = 12;

    /// <summary>Every rule <paramref name="candidate"/> breaks as a confirmation ID; empty when it is acceptable.</summary>
    public static IReadOnlyList<OtpCredentialBreach> CheckConfirmationId(string? candidate)
    {
        var value = candidate ?? string.Empty;
        var breaches = Common(value);
        if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            breaches.Add(OtpCredentialBreach.DigitsOnly);
        }
        else if (value.Any(char.IsAsciiLetter) && !(value.Any(char.IsAsciiLetterUpper) && value.Any(char.IsAsciiLetterLower)))
        {
            breaches.Add(OtpCredentialBreach.SingleCase);
        }

        return breaches;
    }

    /// <summary>Every rule <paramref name="candidate"/> breaks as a confirmation password; empty when it is acceptable.</summary>
    public static IReadOnlyList<OtpCredentialBreach> CheckConfirmationPassword(string? candidate)
    {
        var value = candidate ?? string.Empty;
        var breaches = Common(value);
        if (!(value.Any(char.IsAsciiLetter) && value.Any(char.IsAsciiDigit)))
        {
            breaches.Add(OtpCredentialBreach.LettersAndDigits);
        }

        return breaches;
    }

    /// <summary>The message the settings site shows for <paramref name="breach"/> (Japanese, as the site is).</summary>
    public static string Message(OtpCredentialBreach breach) => breach switch
    {
        OtpCredentialBreach.Length => $"{MinLength}～{MaxLength}文字で入力してください。",
        OtpCredentialBreach.Characters => "半角英数字のみ使用できます。",
        OtpCredentialBreach.DigitsOnly => "数字のみの確認用IDは使用できません。",
        OtpCredentialBreach.SingleCase => "確認用IDには英大文字と英小文字の両方を含めてください。",
        OtpCredentialBreach.LettersAndDigits => "確認用パスワードには英字と数字の両方を含めてください。",
        _ => throw new ArgumentOutOfRangeException(nameof(breach), breach, null),
    };

    private static List<OtpCredentialBreach> Common(string value)
    {
        var breaches = new List<OtpCredentialBreach>();
        if (value.Length is < MinLength or > MaxLength)
        {
            breaches.Add(OtpCredentialBreach.Length);
        }

        if (!value.All(char.IsAsciiLetterOrDigit))
        {
            breaches.Add(OtpCredentialBreach.Characters);
        }

        return breaches;
    }
}
