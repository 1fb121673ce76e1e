using System.Collections.Concurrent;
using System.Diagnostics;

namespace GatewayAgent.Testing;

/// <summary>
/// Starts child processes from one dedicated thread that lives as long as the test process. Linux sends a child's
/// parent-death signal (PR_SET_PDEATHSIG, which bwrap --die-with-parent sets) when the *thread* that forked it exits:
/// started from a thread-pool thread, a sandbox was SIGKILLed at random when that thread retired (bwrap exit 137),
/// and a kill during bwrap's setup left its PID 1 without the signal, so the agent inside ran on with no owner. From
/// this thread the signal comes exactly when the test process dies.
/// </summary>
public static class ProcessLauncher
{
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = StartThread();

    /// <summary>Starts <paramref name="process"/> on the launcher thread; completes once it runs (or with the start's error).</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static BlockingCollection<(Process, TaskCompletionSource)> StartThread()
    {
        var requests = new BlockingCollection<(Process, TaskCompletionSource)>();
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in requests.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception ex)
                {
                    started.SetException(ex);
                }
            }
        })
        {
            IsBackground = true,
            Name = "test process launcher",
        };
        thread.Start();
        return requests;
    }
}
