using Prometheus;

namespace GatewayAgent.Controller.Metrics;

public static class MetricsExtensions
{
    public static IServiceCollection AddControllerMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton<StoreGaugeSampler>();
        return services;
    }

    /// <summary>Prometheus text exposition of <see cref="ControllerMetrics.Registry"/> at /metrics (no API key).</summary>
    public static IEndpointConventionBuilder MapControllerMetrics(this IEndpointRouteBuilder endpoints)
    {
        _ = endpoints.ServiceProvider.GetRequiredService<StoreGaugeSampler>();
        return endpoints.MapMetrics("/metrics", endpoints.ServiceProvider.GetRequiredService<ControllerMetrics>().Registry);
    }
}
