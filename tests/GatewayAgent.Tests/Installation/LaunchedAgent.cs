using System.Collections.Concurrent;
using System.Diagnostics;

namespace GatewayAgent.Tests.Installation;

/// <summary>
/// A gateway-agent started by an arbitrary command line (dotnet, bwrap, qemu-aarch64-static...). Ready when it logs
/// that it listens; SIGTERM (then kill) on dispose.
/// </summary>
public sealed class LaunchedAgent : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lineArrived = new(0);
    private bool _disposed;

    private LaunchedAgent(Process process) => _process = process;

    public string Output => string.Join('\n', _lines);

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ProcessStartInfo DotnetAgent(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(Tests.Support.AgentProcess.AgentDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>Starts the process and waits until the agent reports it listens (or throws with its output).</summary>
    public static async Task<LaunchedAgent> StartAsync(ProcessStartInfo info, TimeSpan readyTimeout)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var agent = new LaunchedAgent(process);
        process.OutputDataReceived += (_, e) => agent.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => agent.OnLine(e.Data);
        process.Exited += (_, _) => agent._ready.TrySetException(new InvalidOperationException($"{info.FileName} exited during start:\n" + agent.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await agent._ready.Task.WaitAsync(readyTimeout);
        }
        catch (TimeoutException)
        {
            var output = agent.Output;
            await agent.DisposeAsync();
            throw new TimeoutException($"the agent did not get ready within {readyTimeout}:\n{output}");
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }

        return agent;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            try
            {
                await _lineArrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"'{text}' not logged; output:\n{Output}");
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _lineArrived.Release();
        if (line.Contains("SIP listening on", StringComparison.Ordinal) && line.Contains("ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await ProcessStop.TerminateAsync(_process, TimeSpan.FromSeconds(30));
        _process.Dispose();
        _lineArrived.Dispose();
    }
}
