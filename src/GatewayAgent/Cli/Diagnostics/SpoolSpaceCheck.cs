using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The telemetry spool (Agent:Telemetry:SpoolDirectory, else $STATE_DIRECTORY/spool, else
/// /var/lib/gateway-agent/spool) has room for Agent:Telemetry:SpoolMaxBytes (default 16 MiB) on its filesystem, so
/// events of an outage are not lost to a full disk.
/// </summary>
public sealed class SpoolSpaceCheck : IDoctorCheck
{
    public const string Name = "spool";
    public const string DefaultSpoolDirectory = "/var/lib/gateway-agent/spool";
    public const long DefaultSpoolMaxBytes = 16 * 1024 * 1024;

    public Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var directory = configuration["Agent:Telemetry:SpoolDirectory"];
        if (string.IsNullOrWhiteSpace(directory))
        {
            var state = Environment.GetEnvironmentVariable("STATE_DIRECTORY")?.Split(':')[0];
            directory = string.IsNullOrEmpty(state) ? DefaultSpoolDirectory : Path.Combine(state, "spool");
        }

        var max = long.TryParse(configuration["Agent:Telemetry:SpoolMaxBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : DefaultSpoolMaxBytes;

        // The spool is created on first use: measure the filesystem it will live on.
        var existing = new DirectoryInfo(Path.GetFullPath(directory));
        while (existing is not null && !existing.Exists)
        {
            existing = existing.Parent;
        }

        if (existing is null)
        {
            return Result(DoctorCheckResult.Fail(Name, $"{directory}: no existing parent directory"));
        }

        var free = new DriveInfo(existing.FullName).AvailableFreeSpace;
        var where = existing.FullName == Path.GetFullPath(directory) ? directory : $"{directory} (not created yet; measured at {existing.FullName})";
        return Result(free >= max
            ? DoctorCheckResult.Pass(Name, $"{where}: {Mib(free)} free for a spool of up to {Mib(max)}")
            : DoctorCheckResult.Fail(Name, $"{where}: only {Mib(free)} free, the spool may grow to {Mib(max)} (Agent:Telemetry:SpoolMaxBytes)"));
    }

    private static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    private static Task<IReadOnlyList<DoctorCheckResult>> Result(DoctorCheckResult result) => Task.FromResult<IReadOnlyList<DoctorCheckResult>>([result]);
}
