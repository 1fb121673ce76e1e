using System.Collections.Concurrent;
using System.Diagnostics;

namespace GatewayAgent.Testing;

/// <summary>
/// A long-running program under test (an agent, a lab) as a child process: its stdout and stderr are kept line by line
/// in a buffer (never forwarded to the console: a failing test attaches <see cref="Output"/> to its message), waits are
/// woken by each line, and dispose stops it with SIGTERM, then a kill after the grace time (<see cref="ProcessStop"/>).
/// Each child carries its own <see cref="MarkerVariable"/>, inherited by everything it starts: whatever still carries it
/// after the stop (a sandbox's PID 1 orphaned when its bwrap was killed) is killed too, so nothing outlives the test.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>The environment variable that marks a child and all its descendants.</summary>
    public const string MarkerVariable = "GATEWAY_TEST_CHILD";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Changes _changes = new();
    private readonly TimeSpan _grace;
    private readonly string _marker = Guid.NewGuid().ToString("N");
    private int _disposed;

    private ChildProcess(Process process, TimeSpan grace)
    {
        _process = process;
        _grace = grace;
    }

    /// <summary>Everything the process wrote so far (stdout and stderr, in arrival order).</summary>
    public string Output => string.Join('\n', _lines);

    public IEnumerable<string> Lines => _lines;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Name => _process.StartInfo.FileName;

    /// <summary>Starts <paramref name="info"/> (from the <see cref="ProcessLauncher"/> thread) with its output redirected into the buffer.</summary>
    public static async Task<ChildProcess> StartAsync(ProcessStartInfo info, TimeSpan? grace = null)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, grace ?? TimeSpan.FromSeconds(10));
        info.Environment[MarkerVariable] = child._marker;
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child._changes.Notify();
        await ProcessLauncher.StartAsync(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Starts <paramref name="info"/> and waits until a line satisfies <paramref name="ready"/>; when the process exits
    /// first or the bound passes, stops it and throws with its output.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(ProcessStartInfo info, Func<string, bool> ready, TimeSpan readyTimeout, TimeSpan? grace = null)
    {
        var child = await StartAsync(info, grace);
        try
        {
            await Wait.UntilAsync(() => child._lines.Any(ready) || child.HasExited, [child._changes], $"{info.FileName} ready", readyTimeout,
                () => "output:\n" + child.Output);
            if (!child._lines.Any(ready))
            {
                throw new InvalidOperationException($"{info.FileName} exited during start (exit {child.ExitCode}):\n{child.Output}");
            }
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until a line containing <paramref name="text"/> has been written <paramref name="count"/> times.</summary>
    public Task WaitForLineAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        _changes.UntilAsync(() => Count(text) >= count, $"'{text}' written {count} times by {Name}", timeout, () => "output:\n" + Output);

    /// <summary>Waits for the process to exit by itself (stdout and stderr read to their end).</summary>
    public async Task WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Wait.DefaultBound);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {(timeout ?? Wait.DefaultBound).TotalSeconds:0} s:\n{Output}");
        }
    }

    /// <summary>Resident memory of the process, in bytes (from /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>SIGTERM, then a kill of the process and its descendants after the grace time; then of any process still marked as this child's.</summary>
    public async Task StopAsync()
    {
        await ProcessStop.TerminateAsync(_process, _grace);
        foreach (var survivor in ProcessTable.WithEnvironment(MarkerVariable, _marker))
        {
            await ProcessStop.SignalAsync(survivor.Pid, "KILL");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _changes.Notify();
    }
}
