using System.Buffers;

namespace GatewayAgent.Controller.Notification;

/// <summary>FN-9: the recipient address rules of the settings site, also checked before a mail is handed to the relay.</summary>
public static class MailAddressRules
{
    // FN-9: characters only from 0-9 a-z A-Z - @ _ . ! $ % ' * + / ? ^ #
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-@_.!$%'*+/?^#");

    /// <summary>Allowed characters only; exactly one '@', not first; does not end with '@' or '.'.</summary>
    public static bool IsValid(string? address) =>
        !string.IsNullOrEmpty(address)
        && !address.AsSpan().ContainsAnyExcept(Allowed)
        && address[0] != '@'
        && address.AsSpan().Count('@') == 1
        && address[^1] is not ('@' or '.');
}
