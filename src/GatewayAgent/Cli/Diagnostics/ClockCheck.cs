using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli.Diagnostics;

/// <summary>
/// The clock is NTP-synchronised: telemetry timestamps, the spool's age limit and TLS certificate checks depend on it.
/// Asks systemd (timedatectl show -p NTPSynchronized), then systemd-timesyncd's flag file, then the kernel
/// (adjtimex); warns when none can tell.
/// </summary>
public sealed class ClockCheck : IDoctorCheck
{
    public const string Name = "clock";

    private const int KernelTimeError = 5;

    public async Task<IReadOnlyList<DoctorCheckResult>> RunAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var timedatectl = await TimedatectlAsync(cancellationToken).ConfigureAwait(false);
        if (timedatectl == "yes")
        {
            return [DoctorCheckResult.Pass(Name, "NTP synchronized (timedatectl)")];
        }

        if (timedatectl == "no")
        {
            return [DoctorCheckResult.Fail(Name, "not NTP synchronized (timedatectl): check `timedatectl timesync-status` and that UDP 123 reaches the NTP server")];
        }

        if (File.Exists("/run/systemd/timesync/synchronized"))
        {
            return [DoctorCheckResult.Pass(Name, "NTP synchronized (systemd-timesyncd)")];
        }

        var state = OperatingSystem.IsLinux() ? LinuxNative.ClockState() : -1;
        return state switch
        {
            >= 0 and < KernelTimeError => [DoctorCheckResult.Pass(Name, "kernel clock synchronized (adjtimex)")],
            KernelTimeError => [DoctorCheckResult.Warn(Name, "synchronisation unknown: timedatectl unavailable and the kernel clock is marked unsynchronized (no NTP client running?)")],
            _ => [DoctorCheckResult.Warn(Name, "synchronisation unknown: neither timedatectl nor adjtimex answered")],
        };
    }

    private static async Task<string?> TimedatectlAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/timedatectl") && !File.Exists("/bin/timedatectl"))
        {
            return null;
        }

        try
        {
            var info = new ProcessStartInfo("timedatectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "show", "-p", "NTPSynchronized", "--value" })
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            _ = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException or IOException)
        {
            return null;
        }
    }
}
