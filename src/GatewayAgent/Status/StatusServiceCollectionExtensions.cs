using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GatewayAgent.Status;

public static class StatusServiceCollectionExtensions
{
    /// <summary>The shared live state, event hub and WAN gate every part of the agent writes to or reads.</summary>
    public static IServiceCollection AddAgentStatus(this IServiceCollection services)
    {
        services.TryAddSingleton<AgentStatus>();
        services.TryAddSingleton<AgentEventHub>();
        services.TryAddSingleton<WanGate>();
        return services;
    }
}
