using GatewayAgent.Hosting;

namespace GatewayAgent.Controller.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>The edge's routing tables kept current from the store (docs/routing.md).</summary>
    public static IServiceCollection AddEdgeRouting(this IServiceCollection services)
    {
        services.AddOptionsSection<EdgeOptions>(EdgeOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.RpcUrls.All(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"),
                "Controller:Edge:RpcUrls must be http(s) URLs such as http://127.0.0.1:5065/RPC");
        services.AddSingleton<EdgeRoutingChanges>();
        services.AddSingleton<EdgeViews>();
        services.AddSingleton<EdgeMetrics>();
        // one line per JSON-RPC call would drown the log at thousands of changes; failures are logged by the pusher
        services.AddHttpClient(nameof(EdgeRoutingPusher), c => c.Timeout = Timeout.InfiniteTimeSpan) // each call has its own (EdgeOptions)
            .RemoveAllLoggers();
        services.AddSingleton<EdgeRoutingPusher>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeRoutingPusher>());
        return services;
    }
}
