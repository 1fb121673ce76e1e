using System.Diagnostics;
using System.Globalization;

namespace GatewayAgent.Testing;

/// <summary>
/// The one process stopper of the tests, the way systemd stops a service: SIGTERM, then a kill of the process and its
/// descendants when it has not exited within the grace time. Returns only when the process is gone.
/// </summary>
public static class ProcessStop
{
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process))
        {
            return;
        }

        await SignalAsync(process.Id, "TERM");
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited between the check and the kill
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Sends a signal (TERM, KILL, STOP, CONT, USR1, ...) to a process id with kill(1); false when it is gone already.</summary>
    public static async Task<bool> SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, processId.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
        return kill.ExitCode == 0;
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true; // never started
        }
    }
}
