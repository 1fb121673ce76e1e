namespace GatewayAgent.Controller.Customers;

/// <summary>Japanese phone numbers as the service handles them: digits only, "+81" folded to the leading 0.</summary>
public static class PhoneNumbers
{
    /// <summary>Restricted destination prefixes (BF-9), checked on the normalised number.</summary>
    private static readonly (string Prefix, string Service)[] RestrictedPrefixes =
    [
        ("00", "carrier access (00XY, e.g. 0070, 0077, 0088, 001, 0081)"),
        ("010", "international"),
        ("060", "e-call"),
        ("0120", "free-dial"),
        ("0800", "free-dial"),
        ("0570", "navi-dial"),
        ("0180", "telegong"),
        ("1", "3-digit service number (1XY)"),
    ];

    /// <summary>Removes hyphens, spaces and parentheses; "+81" becomes "0". Returns the input trimmed when it is not a number.</summary>
    public static string Normalize(string value)
    {
        var trimmed = value.Trim();
        var digits = new System.Text.StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c is '-' or ' ' or '(' or ')' or '\u2010' or '\u2212' or '\u30FC')
            {
                continue;
            }

            digits.Append(c);
        }

        var text = digits.ToString();
        if (text.StartsWith("+81", StringComparison.Ordinal))
        {
            text = "0" + text[3..];
        }

        return text;
    }

    /// <summary>A subscriber number of this service: 10 or 11 digits starting with 0.</summary>
    public static bool IsSubscriberNumber(string normalized) =>
        normalized.Length is 10 or 11 && normalized[0] == '0' && normalized.All(char.IsAsciiDigit);

    /// <summary>Why a normalised destination can never be registered (BF-9), or null when it is allowed.</summary>
    public static string? DestinationRestriction(string normalized)
    {
        if (normalized.StartsWith('#'))
        {
            return "hash dial (#ABCD) cannot be a destination";
        }

        foreach (var (prefix, service) in RestrictedPrefixes)
        {
            if (normalized.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"{service} numbers cannot be a destination";
            }
        }

        return null;
    }
}
