using System.Runtime.InteropServices;

namespace GatewayAgent.LocalControl;

/// <summary>
/// Where the control socket lives. Configured (Agent:LocalControl:Socket) wins; otherwise
/// /run/gateway-agent/control.sock when that directory is writable (the service runs as root or owns it through
/// systemd's RuntimeDirectory=), else $XDG_RUNTIME_DIR/gateway-agent/control.sock, else
/// /tmp/gateway-agent-{uid}/control.sock. The client looks in the same places, in the same order, for a socket. The
/// fallbacks are used only as private directories (0700, this user's, not a symlink: <see cref="PrivateSocketDirectory"/>).
/// </summary>
public static partial class LocalControlSocketPath
{
    public const string Default = "/run/gateway-agent/control.sock";

    /// <summary>Every place the socket may be, in order of preference.</summary>
    public static IReadOnlyList<string> Candidates()
    {
        var candidates = new List<string> { Default };
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime))
        {
            candidates.Add(Path.Combine(runtime, "gateway-agent", "control.sock"));
        }

        candidates.Add(Path.Combine(Path.GetTempPath(), $"gateway-agent-{geteuid()}", "control.sock"));
        return candidates;
    }

    /// <summary>
    /// The path the server binds: the configured one, else the default when its directory is writable, else the first
    /// fallback whose directory is private (<see cref="PrivateSocketDirectory"/>: created 0700, or a real directory of
    /// this user that no one else may write). A fallback that is not is skipped and reported to <paramref name="refused"/>
    /// (the directory and why); null when no place is usable.
    /// </summary>
    public static string? ForServer(string? configured, IReadOnlyList<string>? candidates = null, Action<string, string>? refused = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        candidates ??= Candidates();
        for (var i = 0; i < candidates.Count; i++)
        {
            var directory = Path.GetDirectoryName(candidates[i])!;
            if (i == 0)
            {
                if (CanWriteDirectory(directory))
                {
                    return candidates[i];
                }

                continue;
            }

            if (PrivateSocketDirectory.Prepare(directory) is { } reason)
            {
                refused?.Invoke(directory, reason);
                continue;
            }

            return candidates[i];
        }

        return null;
    }

    /// <summary>
    /// The path the client connects to: the configured one, else the first candidate where a socket exists, a fallback
    /// only in a private directory of this user (a socket someone else planted under /tmp is never talked to).
    /// </summary>
    public static string ForClient(string? configured, IReadOnlyList<string>? candidates = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        candidates ??= Candidates();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (File.Exists(candidates[i]) && (i == 0 || PrivateSocketDirectory.Check(Path.GetDirectoryName(candidates[i])!) is null))
            {
                return candidates[i];
            }
        }

        return candidates[0];
    }

    private static bool CanWriteDirectory(string directory)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(directory);
                }
                else
                {
                    Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
                }
            }

            var probe = Path.Combine(directory, $".probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
