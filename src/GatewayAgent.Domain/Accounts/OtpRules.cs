using System.Security.Cryptography;

namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-7: the one-time password and its registration, once for every host. The receiving address is confirmed by a
/// link valid 24 hours (single use); at each login "send OTP" mails a code valid 300 seconds. A code takes at most
/// <see cref="MaxWrongCodes"/> wrong entries (then a new one must be sent), and every wrong code also counts as a wrong
/// password toward SS-6's lockout, so guessing codes is bounded as guessing passwords is. The confirmation ID and
/// password (<see cref="OtpCredentialRules"/>) take <see cref="MaxWrongConfirmations"/> consecutive wrong entries, as a
/// password does (SS-6), before they are invalidated.
/// </summary>
public static class OtpRules
{
    /// <summary>SS-7: digits of a one-time password.</summary>
    public const int CodeDigits = 6;

    /// <summary>SS-7: wrong entries one code takes before it is void (a new code must be sent).</summary>
    public const int MaxWrongCodes = 3;

    /// <summary>SS-6 applied to the confirmation ID and password: consecutive wrong entries before they are invalidated.</summary>
    public const int MaxWrongConfirmations = LockoutRules.MaxWrongPasswords;

    /// <summary>SS-7: a one-time password is valid 300 seconds from when it was sent.</summary>
    public static readonly TimeSpan CodeValidity = TimeSpan.FromSeconds(300);

    /// <summary>SS-7: the confirmation link of a receiving address is valid 24 hours.</summary>
    public static readonly TimeSpan ConfirmationLinkValidity = TimeSpan.FromHours(24);

    /// <summary>A new code is sent at most this often per number (no mail bombing of the receiving address).</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(30);

    /// <summary>Whether something valid until <paramref name="expiresAt"/> has expired at <paramref name="now"/>.</summary>
    public static bool IsExpired(DateTimeOffset expiresAt, DateTimeOffset now) => now >= expiresAt;

    /// <summary>A new one-time password: <see cref="CodeDigits"/> digits from a cryptographic source, leading zeros kept.</summary>
    public static string NewCode() =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, CodeDigits)).ToString("D" + CodeDigits, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="entered"/> has the form of a code (6 ASCII digits, surrounding blanks ignored by the caller).</summary>
    public static bool IsCodeForm(string? entered) => entered is { Length: CodeDigits } && entered.All(char.IsAsciiDigit);

    /// <summary>A new confirmation-link token: 256 random bits, URL-safe; only its hash is stored (<see cref="HashToken"/>).</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The stored form of a link token (SHA-256, hex): a leaked database does not give working links.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token ?? string.Empty)));
}
