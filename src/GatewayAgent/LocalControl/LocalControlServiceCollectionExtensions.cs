using GatewayAgent.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.LocalControl;

public static class LocalControlServiceCollectionExtensions
{
    /// <summary>The local Unix socket that "gateway-agent status" and "gateway-agent sim" talk to.</summary>
    public static IServiceCollection AddLocalControl(this IServiceCollection services)
    {
        services.AddOptionsSection<LocalControlOptions>(LocalControlOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ILocalControlVerb, StatusVerb>();
        services.AddSingleton<ILocalControlVerb, SimSetVerb>();
        services.AddSingleton<ILocalControlVerb, LedTestVerb>();
        services.AddSingleton<LocalControlServer>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalControlServer>());
        return services;
    }
}
