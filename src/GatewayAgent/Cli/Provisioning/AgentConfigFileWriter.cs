using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GatewayAgent.Cli.Provisioning;

/// <summary>
/// Writes the configuration file atomically: a temporary file in the same directory, created 0600 (it may hold the
/// MQTT and SIP passwords), flushed to disk, given its group (0640) when one is asked for, then renamed over the
/// target, so the agent never reads half a file and the secret is never readable by others.
/// </summary>
public static class AgentConfigFileWriter
{
    /// <summary>Marks the package's default file: provision replaces it without --force.</summary>
    public const string UnprovisionedMarker = "// unprovisioned";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAndGroupRead = OwnerOnly | UnixFileMode.GroupRead;

    /// <summary>True when <paramref name="path"/> exists and is not the unprovisioned default.</summary>
    public static bool IsProvisioned(string path) =>
        File.Exists(path) && !File.ReadAllText(path).Contains(UnprovisionedMarker, StringComparison.Ordinal);

    /// <exception cref="IOException">the directory or file cannot be written, or the group cannot be set.</exception>
    public static async Task WriteAsync(string path, JsonObject document, string? group, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("provision writes Unix file modes");
        }

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnly,
            };
            await using (var stream = new FileStream(temp, options))
            {
                await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    document.WriteTo(writer);
                }

                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }

            // The create mode passes through the umask; set it exactly.
            File.SetUnixFileMode(temp, OwnerOnly);
            if (group is not null)
            {
                await ChangeGroupAsync(temp, group, cancellationToken).ConfigureAwait(false);
                File.SetUnixFileMode(temp, OwnerAndGroupRead);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Whether a group of that name exists (in /etc/group, where the package's system groups live).</summary>
    public static bool GroupExists(string name) =>
        File.Exists("/etc/group") && File.ReadLines("/etc/group").Any(l => l.StartsWith(name + ":", StringComparison.Ordinal));

    private static async Task ChangeGroupAsync(string path, string group, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("chgrp") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(group);
        info.ArgumentList.Add(path);
        using var process = Process.Start(info) ?? throw new IOException("cannot run chgrp");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new IOException($"cannot give {path} to group {group}: {error.Trim()}");
        }
    }
}
