using System.Diagnostics;
using GatewayAgent.Hosting;

namespace GatewayAgent.Lab;

/// <summary>
/// One process the lab started (the controller, a site's agent, the edge): its output goes to a log file in the lab's data
/// directory, and lines matching a readiness marker complete <see cref="WaitForOutputAsync"/>. Its standard input is a
/// pipe the lab never writes to: our hosts run with Host:StopWhenStdinCloses, so when the lab dies without stopping
/// them (SIGKILL, a crash) the kernel closes the pipe and they stop themselves (kamailio: see <see cref="EdgeProcess"/>).
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waiters = [];
    private readonly List<string> _recent = [];

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Starts one of our .NET hosts (dotnet DLL ARGS), stopping itself when its stdin pipe closes.</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments, string logFile) =>
        StartProgram(name, "dotnet", [dll, .. arguments, $"--{ParentWatch.ConfigurationKey}=true"], logFile, dotnet: true);

    /// <summary>Starts any program (kamailio) with its output going to <paramref name="logFile"/>.</summary>
    public static ChildProcess StartProgram(string name, string program, IEnumerable<string> arguments, string logFile, bool dotnet = false)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (dotnet)
        {
            info.Environment["DOTNET_gcServer"] = "0";
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the process wrote (for error messages when it fails to start).</summary>
    public string RecentOutput
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _recent);
            }
        }
    }

    public async Task WaitForOutputAsync(string marker, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_recent.Exists(l => l.Contains(marker, StringComparison.Ordinal)))
            {
                return;
            }

            _waiters.Add((marker, seen));
        }

        var exited = _process.WaitForExitAsync(cancellationToken);
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        if (done == seen.Task)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();

        var why = done == exited ? $"exited with code {_process.ExitCode}" : $"did not print '{marker}' within {timeout.TotalSeconds:F0} s";
        throw new InvalidOperationException($"{Name} {why}; its last output:\n{RecentOutput}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.WriteLine(line);
            _recent.Add(line);
            if (_recent.Count > 200)
            {
                _recent.RemoveRange(0, 100);
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (line.Contains(_waiters[i].Marker, StringComparison.Ordinal))
                {
                    _waiters[i].Seen.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first so the agent publishes agent.stopping and the controller closes its store cleanly.
            Posix.Terminate(_process.Id);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }
}
