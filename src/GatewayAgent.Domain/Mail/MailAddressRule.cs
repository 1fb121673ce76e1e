using System.Buffers;

namespace GatewayAgent.Domain.Mail;

/// <summary>
/// FN-9: the notification address rules of the settings site, checked when an address is saved (FN-8) and again before
/// a mail is handed to the relay.
/// </summary>
public static class MailAddressRule
{
    /// <summary>The longest address accepted: the SMTP path limit (RFC 5321 §4.5.3.1.3, 256 octets less the angle brackets).</summary>
    public const int MaxLength = 254;

    // FN-9: characters only from 0-9 a-z A-Z - @ _ . ! $ % ' * + / ? ^ #
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-@_.!$%'*+/?^#");

    /// <summary>The reason <paramref name="address"/> breaks FN-9 (or the length limit), or null when it is acceptable.</summary>
    public static string? Check(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "an address is required";
        }

        if (address.Length > MaxLength)
        {
            return $"at most {MaxLength} characters";
        }

        var bad = address.AsSpan().IndexOfAnyExcept(Allowed);
        if (bad >= 0)
        {
            return $"character '{address[bad]}' is not allowed (only 0-9 a-z A-Z - @ _ . ! $ % ' * + / ? ^ #)";
        }

        if (address[0] == '@')
        {
            return "must not start with @";
        }

        if (address.AsSpan().Count('@') != 1)
        {
            return "must contain exactly one @";
        }

        if (address[^1] is '@' or '.')
        {
            return "must not end with @ or .";
        }

        return null;
    }

    /// <summary>True when <paramref name="address"/> keeps FN-9 and the length limit.</summary>
    public static bool IsValid(string? address) => Check(address) is null;
}
