using Microsoft.Extensions.Logging;

namespace GatewayAgent.Telemetry;

/// <summary>
/// Picks the spool directory: Agent:Telemetry:SpoolDirectory, else $STATE_DIRECTORY/spool (systemd StateDirectory=),
/// else /var/lib/gateway-agent/spool; when that is not writable (a developer's run as a normal user) it logs and falls
/// back to $XDG_STATE_HOME/gateway-agent/spool (or ~/.local/state/..., or the temp directory).
/// </summary>
public static class SpoolDirectoryResolver
{
    public static string Preferred(TelemetryOptions options, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(options.SpoolDirectory))
        {
            return options.SpoolDirectory;
        }

        // systemd passes a colon-separated list when the unit names several state directories: the first is ours.
        var state = environment("STATE_DIRECTORY")?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return state is null ? TelemetryOptions.DefaultSpoolDirectory : Path.Combine(state, "spool");
    }

    public static string Resolve(TelemetryOptions options, Func<string, string?> environment, ILogger logger)
    {
        var preferred = Preferred(options, environment);
        if (TryWritable(preferred, out var reason))
        {
            return preferred;
        }

        var stateHome = environment("XDG_STATE_HOME");
        var home = environment("HOME");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(stateHome))
        {
            candidates.Add(Path.Combine(stateHome, "gateway-agent", "spool"));
        }

        if (!string.IsNullOrEmpty(home))
        {
            candidates.Add(Path.Combine(home, ".local", "state", "gateway-agent", "spool"));
        }

        candidates.Add(Path.Combine(Path.GetTempPath(), "gateway-agent-" + Environment.UserName, "spool"));
        foreach (var candidate in candidates)
        {
            if (TryWritable(candidate, out _))
            {
                TelemetryLog.SpoolFallback(logger, preferred, reason, candidate);
                return candidate;
            }
        }

        throw new IOException($"no writable spool directory (tried {preferred}: {reason})");
    }

    private static bool TryWritable(string directory, out string reason)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, ".write-test");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = ex.Message;
            return false;
        }
    }
}
