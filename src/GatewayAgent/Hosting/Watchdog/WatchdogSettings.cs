using System.Globalization;

namespace GatewayAgent.Hosting.Watchdog;

/// <summary>The systemd watchdog as the service manager announced it (WATCHDOG_USEC, WATCHDOG_PID).</summary>
/// <param name="Timeout">WatchdogSec: systemd kills the agent when no WATCHDOG=1 arrives within it.</param>
public sealed record WatchdogSettings(TimeSpan Timeout)
{
    /// <summary>Pings go out at half the timeout (as sd_watchdog_enabled(3) advises), so one late ping is not fatal.</summary>
    public TimeSpan PingInterval => Timeout / 2;

    /// <summary>How long the health checks of one round may take before they count as hung: a quarter of the timeout.</summary>
    public TimeSpan CheckTimeout => Timeout / 4;

    /// <summary>
    /// The watchdog systemd expects from this process, or null when there is none: WATCHDOG_USEC unset, not a
    /// positive number, or WATCHDOG_PID naming another process (the variables leaked to a child).
    /// </summary>
    public static WatchdogSettings? FromEnvironment(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (string.IsNullOrEmpty(watchdogUsec)
            || !long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec)
            || usec <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return null;
        }

        return new WatchdogSettings(TimeSpan.FromMicroseconds(usec));
    }
}
