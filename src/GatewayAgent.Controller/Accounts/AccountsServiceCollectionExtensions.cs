using GatewayAgent.Controller.Ivr;
using Microsoft.AspNetCore.Identity;

namespace GatewayAgent.Controller.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// The settings site's accounts over the controller's store (SS-1, SS-4 – SS-6, SS-10), also serving the
    /// temporary-password IVR as its <see cref="ITemporaryPasswordIssuer"/> (SS-3), and the settings audit.
    /// </summary>
    public static IServiceCollection AddPortalAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<string>, PasswordHasher<string>>();
        services.AddSingleton<PortalAccountStore>();
        services.AddSingleton<ITemporaryPasswordIssuer>(provider => provider.GetRequiredService<PortalAccountStore>());
        services.AddSingleton<SettingsAuditLog>();
        return services;
    }
}
