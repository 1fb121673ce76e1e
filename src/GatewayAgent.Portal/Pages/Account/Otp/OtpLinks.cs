using GatewayAgent.Portal.Hosting;

namespace GatewayAgent.Portal.Pages.Account.Otp;

/// <summary>SS-7: the confirmation link mailed for a receiving address, on the site's public address (Portal:PublicUrl).</summary>
public static class OtpLinks
{
    public const string ConfirmPath = "Account/Otp/Confirm";

    public static Func<string, string> For(PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.PublicBase;
        return token => new Uri(root, ConfirmPath + "?token=" + Uri.EscapeDataString(token)).ToString();
    }
}
