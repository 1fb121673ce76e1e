using Microsoft.Extensions.Logging;

namespace GatewayAgent.Hosting.Watchdog;

/// <summary>The systemd watchdog's log messages (event ids 2500–2509).</summary>
internal static partial class WatchdogLog
{
    [LoggerMessage(2500, LogLevel.Information, "systemd watchdog: timeout {TimeoutSeconds:F1} s, pinging every {IntervalMs:F0} ms while healthy ({Checks})")]
    public static partial void Enabled(ILogger logger, double timeoutSeconds, double intervalMs, string checks);

    [LoggerMessage(2501, LogLevel.Error, "systemd watchdog: unhealthy, not pinging (systemd restarts the agent if this lasts): {Problem}")]
    public static partial void Unhealthy(ILogger logger, string problem);

    [LoggerMessage(2502, LogLevel.Information, "systemd watchdog: healthy again, pinging")]
    public static partial void Healthy(ILogger logger);
}
