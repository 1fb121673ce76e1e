using GatewayAgent.Hosting.Watchdog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace GatewayAgent.Hosting;

public static class WatchdogServiceCollectionExtensions
{
    /// <summary>
    /// WATCHDOG=1 pings to systemd while the agent is healthy (WatchdogSec in the unit). Also makes the agent speak
    /// sd_notify whenever it is given a notify socket: <c>AddSystemd()</c> only recognises systemd as the parent
    /// process, which misses a service started through a wrapper or in a container; libsystemd's sd_notify does not
    /// ask, and with NotifyAccess=main systemd ignores messages from anyone but the main process anyway.
    /// </summary>
    public static IServiceCollection AddSystemdWatchdog(this IServiceCollection services)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
            && !services.Any(d => d.ServiceType == typeof(ISystemdNotifier)))
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        var settings = WatchdogSettings.FromEnvironment(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"),
            Environment.ProcessId);
        if (settings is null || !services.Any(d => d.ServiceType == typeof(ISystemdNotifier)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWatchdogHealthCheck, SipListenersHealthCheck>());
        services.AddHostedService<WatchdogService>();
        return services;
    }
}
