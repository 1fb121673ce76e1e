using System.Globalization;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>Which process holds a local UDP or TCP (listening) port: /proc/net/{udp,tcp}[6] give the socket inode,
/// /proc/PID/fd the process. Processes of other users are seen only by root.</summary>
public static class SocketOwners
{
    /// <summary>(pid, command line) of a process holding the port, or null when none is visible.</summary>
    public static (int Pid, string CommandLine)? Find(bool udp, int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in udp ? new[] { "/proc/net/udp", "/proc/net/udp6" } : ["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10)
                {
                    continue;
                }

                var local = fields[1];
                var localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var listening = udp || fields[3] == "0A";
                if (localPort == port && listening)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                    {
                        var commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ').Trim();
                        return (pid, commandLine);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or another user's process: skip.
            }
        }

        return null;
    }
}
