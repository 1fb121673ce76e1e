namespace GatewayAgent.Domain.Numbers;

/// <summary>
/// BF-9: the numbers that can never be registered as a forward destination. Checked on the folded notation
/// (<see cref="PhoneNumber.Fold"/>), so full-width digits, hyphens, spaces or "+81" do not get a restricted number past it.
/// </summary>
public static class RestrictedDestination
{
    /// <summary>The restricted prefixes of BF-9's table and the web form's notes, on the national (0-prefixed) form.</summary>
    private static readonly (string Prefix, string Service)[] RestrictedPrefixes =
    [
        // BF-9 carrier access 00XY, which covers the web form's carrier prefixes 0070, 0077, 0088, 001 and 0081.
        ("00", "carrier access (00XY, e.g. 0070, 0077, 0088, 001, 0081)"),
        ("010", "international"), // BF-9 international
        ("060", "e-call"), // BF-9 e-call
        ("0120", "free-dial"), // BF-9 free-dial
        ("0800", "free-dial"), // BF-9 free-dial (free access)
        ("0570", "navi-dial"), // BF-9 special numbers (navi-dial, navi access)
        ("0180", "telegong"), // BF-9 telegong
        ("1", "3-digit service number (1XY, e.g. 100, 104, 110, 119)"), // BF-9 3-digit service
    ];

    /// <summary>
    /// Why <paramref name="destination"/> (in any notation) can never be a destination (BF-9), or null when BF-9 allows
    /// it. Null does not make it a valid number: the caller still requires <see cref="PhoneNumber.IsSubscriberNumber"/>.
    /// </summary>
    public static string? Check(string? destination)
    {
        if (string.IsNullOrWhiteSpace(destination))
        {
            return null;
        }

        var folded = PhoneNumber.Fold(destination);
        if (folded.StartsWith('#'))
        {
            return "hash dial (#ABCD) cannot be a destination"; // BF-9 hash dial
        }

        if (folded.StartsWith('+'))
        {
            // +81 was folded to 0 above: any other country code is an international number (BF-9 010).
            return "international numbers cannot be a destination";
        }

        foreach (var (prefix, service) in RestrictedPrefixes)
        {
            if (folded.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"{service} numbers cannot be a destination";
            }
        }

        return null;
    }

    /// <summary>True when BF-9 refuses <paramref name="destination"/>.</summary>
    public static bool IsRestricted(string? destination) => Check(destination) is not null;
}
