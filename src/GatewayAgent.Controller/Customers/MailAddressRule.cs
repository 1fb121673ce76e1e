namespace GatewayAgent.Controller.Customers;

/// <summary>FN-9: the notification address rules of the settings site.</summary>
public static class MailAddressRule
{
    private const string AllowedSymbols = "-@_.!$%'*+/?^#";

    /// <summary>The reason <paramref name="address"/> breaks FN-9, or null when it is acceptable.</summary>
    public static string? Check(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "an address is required";
        }

        if (address.Length > 254)
        {
            return "at most 254 characters";
        }

        foreach (var c in address)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !AllowedSymbols.Contains(c, StringComparison.Ordinal))
            {
                return $"character '{c}' is not allowed (only 0-9 a-z A-Z - @ _ . ! $ % ' * + / ? ^ #)";
            }
        }

        if (address[0] == '@')
        {
            return "must not start with @";
        }

        if (address.Count(c => c == '@') != 1)
        {
            return "must contain exactly one @";
        }

        if (address[^1] is '@' or '.')
        {
            return "must not end with @ or .";
        }

        return null;
    }
}
