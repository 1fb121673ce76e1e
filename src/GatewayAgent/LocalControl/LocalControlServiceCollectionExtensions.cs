using GatewayAgent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.LocalControl;

public static class LocalControlServiceCollectionExtensions
{
    /// <summary>The local Unix socket that "gateway-agent status" and "gateway-agent sim" talk to.</summary>
    public static IServiceCollection AddLocalControl(this IServiceCollection services)
    {
        // Nothing to validate beyond the binding itself, which ValidateOnStart makes happen (and fail: exit 2) at start.
        services.AddOptionsSection<LocalControlOptions>(LocalControlOptions.SectionName, static (section, options) => section.Bind(options)).ValidateOnStart();
        services.AddSingleton<ILocalControlVerb, StatusVerb>();
        services.AddSingleton<ILocalControlVerb, SimSetVerb>();
        services.AddSingleton<ILocalControlVerb, LedTestVerb>();
        services.AddSingleton<LocalControlServer>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalControlServer>());
        return services;
    }
}
