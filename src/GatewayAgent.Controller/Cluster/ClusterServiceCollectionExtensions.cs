using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Several controller nodes on one PostgreSQL database (docs/scale-out.md): membership and shard leases
    /// (<see cref="ClusterMembership"/>, hosted: call before AddProbing so the first heartbeat precedes the first probe
    /// round), the scheduler's targets narrowed to the owned shards (after AddContracts), the recorder's fence, and the
    /// dying-gasp relay in place of the scheduler as <see cref="IFastProbing"/>. With SQLite one node owns everything.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services)
    {
        services.AddOptionsSection<ClusterOptions>(ClusterOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Heartbeat * 2 <= o.LeaseTime, "Controller:Cluster:Heartbeat must be at most half of Controller:Cluster:LeaseTime")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ClusterMetrics>();
        services.TryAddSingleton<ProbeTargetsChanged>();
        services.TryAddSingleton<ShardTable>();
        services.TryAddSingleton<ClusterMembership>();
        services.TryAddSingleton<IProbeOwnership>(sp => sp.GetRequiredService<ClusterMembership>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMembership>());
        services.RemoveAll<IOutcomeFence>();
        services.AddSingleton<IOutcomeFence, ShardLeaseFence>();

        services.RemoveAll<IProbeTargetSource>();
        services.TryAddSingleton<ContractProbeTargets>();
        services.AddSingleton<IProbeTargetSource, OwnedProbeTargets>();

        services.TryAddSingleton(sp => new FastProbeRelay(
            sp.GetRequiredService<ProbeScheduler>(),
            sp.GetRequiredService<ControllerDatabase>(),
            sp.GetRequiredService<IProbeOwnership>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<ClusterMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FastProbeRelay>>()));
        services.RemoveAll<IFastProbing>();
        services.AddSingleton<IFastProbing>(sp => sp.GetRequiredService<FastProbeRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<FastProbeRelay>());
        return services;
    }
}
