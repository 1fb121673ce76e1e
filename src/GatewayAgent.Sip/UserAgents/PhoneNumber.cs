namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// Japanese phone numbers as the probe addresses them: digits only, "+81" (or "81" after a '+') folded to the
/// national "0" prefix, hyphens and visual separators dropped. "+81-3-1234-5678" and "03-1234-5678" are the same.
/// </summary>
public static class PhoneNumber
{
    public static string Normalize(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "";
        }

        // A sip: user part may carry user parameters (";phone-context=...") and %-escapes.
        var semicolon = number.IndexOf(';');
        if (semicolon >= 0)
        {
            number = number[..semicolon];
        }

        if (number.Contains('%'))
        {
            number = Uri.UnescapeDataString(number);
        }

        var international = number.TrimStart().StartsWith('+');
        Span<char> digits = stackalloc char[Math.Min(number.Length, 64)];
        var n = 0;
        foreach (var c in number)
        {
            if (char.IsAsciiDigit(c) && n < digits.Length)
            {
                digits[n++] = c;
            }
        }

        var result = digits[..n];
        if (international && result.StartsWith("81"))
        {
            return "0" + result[2..].ToString();
        }

        return result.ToString();
    }
}
