using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// The phone number a SIP URI's user part addresses (FN-2, FN-3: the probe's Request-URI names the monitoring number).
/// The SIP syntax is undone here — user parameters such as ";phone-context=..." (RFC 3966) and %-escapes (RFC 3261
/// §19.1.2) — and the number itself is normalised by the one rule, <see cref="PhoneNumber.Normalize"/>.
/// </summary>
public static class RequestUriNumber
{
    /// <summary>The normalised number, or null when the user part is not a phone number.</summary>
    public static string? Of(string? user)
    {
        if (string.IsNullOrEmpty(user) || user.Length > PhoneNumber.MaxLength * 3)
        {
            return null;
        }

        var semicolon = user.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            user = user[..semicolon];
        }

        if (user.Contains('%', StringComparison.Ordinal))
        {
            user = Uri.UnescapeDataString(user);
        }

        return PhoneNumber.Normalize(user);
    }
}
