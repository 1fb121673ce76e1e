using System.Diagnostics;
using System.Globalization;

namespace GatewayAgent.Testing;

/// <summary>
/// The one process stopper of the tests, the way systemd stops a service (KillMode=control-group): SIGTERM, then a kill
/// of the process and its descendants when it has not exited within the grace time; last, any process of the tree as
/// it was at the stop that still runs (re-parented when its parent went, as a sandboxed agent whose bwrap was
/// stopped) is killed too. Returns only when the process is gone.
/// </summary>
public static class ProcessStop
{
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (HasExited(process))
        {
            return;
        }

        var tree = ProcessTable.DescendantsOf(process.Id);
        await SignalAsync(process.Id, "TERM");
        using var cts = new CancellationTokenSource(grace);
        try
        {
            // With redirected output this also waits for the output's end, which a surviving descendant holds open.
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
        }

        await KillSurvivorsAsync(process, tree);
    }

    /// <summary>SIGKILL to the process, its descendants, and any of them that outlives its parent; returns when it is gone.</summary>
    public static async Task KillAsync(Process process)
    {
        if (HasExited(process))
        {
            return;
        }

        var tree = ProcessTable.DescendantsOf(process.Id);
        TryKill(process);
        await KillSurvivorsAsync(process, tree);
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill
        }
    }

    /// <summary>SIGKILL to whatever of <paramref name="tree"/> still runs, then waits for the process itself.</summary>
    private static async Task KillSurvivorsAsync(Process process, IEnumerable<ProcessTable.Entry> tree)
    {
        foreach (var survivor in tree.Where(p => p.IsAlive))
        {
            await SignalAsync(survivor.Pid, "KILL");
        }

        await process.WaitForExitAsync(CancellationToken.None);
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
