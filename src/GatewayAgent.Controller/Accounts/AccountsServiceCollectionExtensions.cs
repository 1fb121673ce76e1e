using GatewayAgent.Controller.Ivr;
using Microsoft.AspNetCore.Identity;

namespace GatewayAgent.Controller.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// The settings site's accounts over the controller's store (SS-1, SS-4 – SS-6, SS-10), also serving the
    /// temporary-password IVR as its <see cref="ITemporaryPasswordIssuer"/> (SS-3), the settings audit, and the one-time
    /// passwords (SS-7, SS-8, <see cref="OtpStore"/>).
    /// </summary>
    public static IServiceCollection AddPortalAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<string>, PasswordHasher<string>>();
        services.AddSingleton<CredentialHasher>();
        services.AddSingleton<PortalAccountStore>();
        services.AddSingleton<ITemporaryPasswordIssuer>(provider => provider.GetRequiredService<PortalAccountStore>());
        services.AddSingleton<SettingsAuditLog>();
        services.AddSingleton<OtpStore>();
        return services;
    }
}
