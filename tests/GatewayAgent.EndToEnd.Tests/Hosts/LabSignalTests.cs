using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GatewayAgent.EndToEnd.Tests.Hosts;

/// <summary>
/// The built gateway-lab with one site on free ports: SIGTERM (timeout, a service manager) and SIGHUP (a closed
/// terminal) stop the controller, the edge and every agent as "quit" does, so nothing keeps holding the lab's ports; and
/// when the lab itself is SIGKILLed its children stop on their own: the agents and the controller notice their stdin
/// pipe close, kamailio gets SIGTERM from the kernel (setpriv --pdeathsig).
/// </summary>
[Trait("Ring", "e2e")]
public sealed partial class LabSignalTests : IDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("lab-signal-");
    private readonly List<int> _started = [];
    private readonly List<string> _output = [];
    private Process? _lab;

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task Signal_StopsTheLab_AndEveryChildItStarted(string signal)
    {
        var children = await StartLabAsync();

        Signal(_lab!.Id, signal);

        using (var exit = new CancellationTokenSource(StopBound))
        {
            try
            {
                await _lab.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the lab did not exit within {StopBound.TotalSeconds:0} s of SIG{signal}; children still running: " +
                    $"[{string.Join(", ", children.Where(IsRunning))}]\n{Output()}");
            }
        }

        _lab.WaitForExit(); // and its output drained

        // The lab itself stopped them and waited, as on "quit": gone the moment the lab is (not later, by the parent
        // watch, which alone would also end them and must not be what this test sees).
        Assert.True(_lab.ExitCode == 0, Output());
        Assert.Contains("gateway-lab: stopped", Output(), StringComparison.Ordinal);
        Assert.DoesNotContain(children, IsRunning);
    }

    [Fact]
    public async Task Sigkill_OfTheLab_ItsChildrenStopOnTheirOwn()
    {
        var children = await StartLabAsync();

        Signal(_lab!.Id, "KILL");

        await AssertAllGoneAsync(children);
    }

    /// <summary>Starts the lab and returns the pids of the controller, the edge and the agents it reports, once it says the sites are up.</summary>
    private async Task<IReadOnlyList<int>> StartLabAsync()
    {
        // The lab as a terminal starts it: SIGHUP at its default disposition. A test run under nohup inherits SIGHUP
        // ignored, and the lab (rightly) keeps ignoring it then, so env resets it for the lab (coreutils >= 8.31).
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // kept open: the lab runs until it is signalled
            UseShellExecute = false,
            WorkingDirectory = _work.FullName,
        };
        string[] arguments =
        [
            "--default-signal=HUP", "dotnet", HostExecutables.Lab, "--sites", "1", "--data", Path.Combine(_work.FullName, "lab"), "--fresh", "--plain",
            "--http-port", Port(FreePort.Next()), "--portal-port", Port(FreePort.Next()), "--mqtt-port", Port(FreePort.Next()),
            "--smtp-port", Port(FreePort.Next()), "--sip-base-port", Port(LabHarness.FreeRange(2)),
            "--edge-port", Port(FreePort.Next()), "--edge-rpc-port", Port(FreePort.Next()), "--destination-port", Port(FreePort.Next()),
            "--ivr-port", Port(FreePort.Next()),
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = _output;
        _lab = new Process { StartInfo = info };
        _lab.OutputDataReceived += (_, e) => OnLine(e.Data);
        _lab.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _lab.Start();
        _lab.BeginOutputReadLine();
        _lab.BeginErrorReadLine();

        using var bound = new CancellationTokenSource(StartBound);
        var exited = _lab.WaitForExitAsync(bound.Token);
        var first = await Task.WhenAny(up.Task, exited);
        lock (output)
        {
            Assert.True(first == up.Task, $"the lab did not report its sites up within {StartBound.TotalSeconds:0} s:\n{string.Join('\n', output)}");
            Assert.Equal(5, _started.Count); // the controller, the settings site, the canary, the edge (kamailio) and site 1
            return [.. _started];
        }

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
                if (StartedPid().Match(line) is { Success: true } started)
                {
                    _started.Add(int.Parse(started.Groups["pid"].Value, CultureInfo.InvariantCulture));
                }

                if (line.Contains("sites up", StringComparison.Ordinal))
                {
                    up.TrySetResult();
                }
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    private static async Task AssertAllGoneAsync(IReadOnlyList<int> pids)
    {
        var running = await LabHarness.WaitForAsync(() => Task.FromResult(pids.Where(IsRunning).ToList()), r => r.Count == 0, StopBound,
            "every child of the lab exiting");
        Assert.Empty(running);
    }

    /// <summary>A pid is running while /proc has it and it is not a zombie waiting for its (new) parent to reap it.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"started, pid (?<pid>\d+)")]
    private static partial Regex StartedPid();

    public void Dispose()
    {
        // Whatever a failed test left: only the processes this test started, by pid.
        if (_lab is { HasExited: false })
        {
            _lab.Kill(entireProcessTree: true);
            _lab.WaitForExit();
        }

        foreach (var pid in _started.Where(IsRunning))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }

        _lab?.Dispose();
        _work.Delete(recursive: true);
    }
}
