namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-6 and SS-3: when a login's password or temporary password stops being accepted. Recovery from each is a new
/// temporary password by phone (SS-3).
/// </summary>
public static class LockoutRules
{
    /// <summary>SS-6: this many consecutive wrong passwords invalidate the password.</summary>
    public const int MaxWrongPasswords = 10;

    /// <summary>SS-6: this many consecutive wrong temporary passwords invalidate the temporary password.</summary>
    public const int MaxWrongTemporaryPasswords = 3;

    /// <summary>SS-3: a temporary password is exactly this many digits.</summary>
    public const int TemporaryPasswordDigits = 8;

    /// <summary>SS-3, SS-6: a temporary password is valid 24 hours from when it was issued.</summary>
    public static readonly TimeSpan TemporaryPasswordValidity = TimeSpan.FromHours(24);

    /// <summary>Whether a temporary password issued at <paramref name="issuedAt"/> has expired at <paramref name="now"/> (SS-6).</summary>
    public static bool IsTemporaryPasswordExpired(DateTimeOffset issuedAt, DateTimeOffset now) => now - issuedAt >= TemporaryPasswordValidity;

    /// <summary>Whether <paramref name="digits"/> has the form of a temporary password: 8 ASCII digits (SS-3).</summary>
    public static bool IsTemporaryPasswordForm(string? digits) =>
        digits is { Length: TemporaryPasswordDigits } && digits.All(char.IsAsciiDigit);
}
