using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GatewayAgent.Hosting;

public static class ParentWatch
{
    /// <summary>"--Host:StopWhenStdinCloses=true": stop (as on SIGTERM) when standard input is closed, i.e. the parent died.</summary>
    public const string ConfigurationKey = "Host:StopWhenStdinCloses";

    /// <summary>Adds <see cref="ParentWatchService"/> when <see cref="ConfigurationKey"/> is true in <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddParentWatch(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.Equals(configuration[ConfigurationKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            services.AddHostedService(sp => new ParentWatchService(sp.GetRequiredService<IHostApplicationLifetime>(), Console.OpenStandardInput));
        }

        return services;
    }
}
