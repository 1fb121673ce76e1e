namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-5: the settings site's password rules, once for every host (the site's change page, the admin's change of other
/// numbers, the store). A password is 8–12 half-width letters and digits, not digits only, valid 60 days, differs from
/// the current one, and contains neither 4 identical characters in a row (<c>0000</c>, <c>aaaa</c>), nor 4 ascending or
/// descending characters in a row (<c>1234</c>, <c>abcd</c>, <c>4321</c>), nor the customer's phone number.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;

    public const int MaxLength = 12;

    /// <summary>SS-5: how many identical or consecutive characters in a row are refused.</summary>
    public const int RunLimit = 4;

    /// <summary>SS-5: a password is valid 60 days from when it was set; after that the login forces a change (SS-4).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(60);

    /// <summary>
    /// Every rule <paramref name="candidate"/> breaks, in the order of <see cref="PasswordBreach"/>; empty when it is
    /// acceptable. <paramref name="phoneNumbers"/> are the customer's numbers (normalised digits) it must not contain;
    /// <paramref name="isCurrent"/> tells whether it equals the current password (the store compares it with the
    /// current hash), null when there is none.
    /// </summary>
    public static IReadOnlyList<PasswordBreach> Check(string? candidate, IEnumerable<string> phoneNumbers, Func<string, bool>? isCurrent = null)
    {
        ArgumentNullException.ThrowIfNull(phoneNumbers);
        var password = candidate ?? string.Empty;
        var breaches = new List<PasswordBreach>();
        if (password.Length is < MinLength or > MaxLength)
        {
            breaches.Add(PasswordBreach.Length);
        }

        if (!password.All(char.IsAsciiLetterOrDigit))
        {
            breaches.Add(PasswordBreach.Characters);
        }

        if (password.Length > 0 && password.All(char.IsAsciiDigit))
        {
            breaches.Add(PasswordBreach.DigitsOnly);
        }

        if (HasRun(password, static (previous, next) => Fold(previous) == Fold(next)))
        {
            breaches.Add(PasswordBreach.RepeatedCharacters);
        }

        if (HasRun(password, static (previous, next) => IsSuccessor(previous, next))
            || HasRun(password, static (previous, next) => IsSuccessor(next, previous)))
        {
            breaches.Add(PasswordBreach.Sequence);
        }

        if (phoneNumbers.Any(number => number.Length > 0 && password.Contains(number, StringComparison.Ordinal)))
        {
            breaches.Add(PasswordBreach.ContainsPhoneNumber);
        }

        if (isCurrent is not null && password.Length > 0 && isCurrent(password))
        {
            breaches.Add(PasswordBreach.SameAsCurrent);
        }

        return breaches;
    }

    /// <summary>The message the settings site shows for <paramref name="breach"/> (Japanese, as the site is).</summary>
    public static string Message(PasswordBreach breach) => breach switch
    {
        PasswordBreach.Length => $"パスワードは{MinLength}～{MaxLength}文字で入力してください。",
        PasswordBreach.Characters => "パスワードには半角英数字のみ使用できます。",
        PasswordBreach.DigitsOnly => "数字のみのパスワードは使用できません。英字を含めてください。",
        PasswordBreach.RepeatedCharacters => $"同じ文字を{RunLimit}文字以上連続して使用できません（例：0000、aaaa）。",
        PasswordBreach.Sequence => $"{RunLimit}文字以上連続する昇順・降順の文字は使用できません（例：1234、abcd）。",
        PasswordBreach.ContainsPhoneNumber => "電話番号を含むパスワードは使用できません。",
        PasswordBreach.SameAsCurrent => "現在のパスワードと同じパスワードは使用できません。",
        _ => throw new ArgumentOutOfRangeException(nameof(breach), breach, null),
    };

    /// <summary>Whether a password set at <paramref name="setAt"/> has outlived its 60 days at <paramref name="now"/> (SS-5).</summary>
    public static bool IsExpired(DateTimeOffset setAt, DateTimeOffset now) => now - setAt >= Validity;

    // Letters compare without case: "aAaA" repeats and "aBcD" ascends as plainly to a guesser as "aaaa" and "abcd".
    private static char Fold(char c) => char.IsAsciiLetterUpper(c) ? (char)(c + ('a' - 'A')) : c;

    private static bool IsSuccessor(char previous, char next)
    {
        var (p, n) = (Fold(previous), Fold(next));
        return n == p + 1 && ((char.IsAsciiDigit(p) && char.IsAsciiDigit(n)) || (char.IsAsciiLetterLower(p) && char.IsAsciiLetterLower(n)));
    }

    private static bool HasRun(string password, Func<char, char, bool> continues)
    {
        var run = 1;
        for (var i = 1; i < password.Length; i++)
        {
            run = continues(password[i - 1], password[i]) ? run + 1 : 1;
            if (run >= RunLimit)
            {
                return true;
            }
        }

        return false;
    }
}
