using System.Diagnostics;
using System.Globalization;

namespace GatewayAgent.Testing;

/// <summary>Stops a process the way systemd does: SIGTERM, then a kill when it has not exited within the grace time.</summary>
public static class ProcessStop
{
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
