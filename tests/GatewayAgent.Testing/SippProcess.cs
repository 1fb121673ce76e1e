using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace GatewayAgent.Testing;

/// <summary>
/// The real sipp (Debian sip-tester) as a child process in a temp folder of its own (its *_errors.log lands there),
/// with its final statistics screen read into a <see cref="SippResult"/>. Adds -trace_err and -nostdin, and -p / -mp
/// with free ports unless the arguments name them.
/// </summary>
public sealed class SippProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private SippProcess(Process process, DirectoryInfo directory)
    {
        _process = process;
        Directory = directory;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public static bool IsInstalled => File.Exists("/usr/bin/sipp") || File.Exists("/usr/local/bin/sipp");

    public DirectoryInfo Directory { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>stdout and stderr so far are only known at exit; this is for a failed start.</summary>
    public async Task<string> OutputAfterExitAsync() => await _stdout + await _stderr;

    public static SippProcess Start(IEnumerable<string> arguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("sipp-");
        var info = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory.FullName,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var option in (string[])["-p", "-mp"])
        {
            if (!info.ArgumentList.Contains(option))
            {
                info.ArgumentList.Add(option);
                info.ArgumentList.Add(FreePort.Next().ToString(CultureInfo.InvariantCulture));
            }
        }

        info.ArgumentList.Add("-trace_err");
        info.ArgumentList.Add("-nostdin");
        return new SippProcess(Process.Start(info)!, directory);
    }

    /// <summary>Waits for sipp to end by itself (-m calls done) — killed at <paramref name="timeout"/> — and reads its verdict.</summary>
    public async Task<SippResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        var output = await _stdout + await _stderr;
        var errors = string.Join('\n', Directory.GetFiles("*_errors.log").Select(f => File.ReadAllText(f.FullName)));
        return new SippResult(_process.ExitCode, Count(output, "Successful call"), Count(output, "Failed call"), output, errors, Directory.FullName);
    }

    /// <summary>SIGUSR1: sipp takes no new calls, lets the running ones end, prints its statistics and exits.</summary>
    public async Task<SippResult> StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-USR1", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // The final statistics screen: "  Successful call        |        0                  |        5     ".
    private static int Count(string output, string label)
    {
        var matches = Regex.Matches(output, Regex.Escape(label) + @"\s*\|\s*\d+\s*\|\s*(\d+)");
        return matches.Count == 0 ? -1 : int.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

/// <summary>What sipp reported: exit code (0 = every call succeeded), successful and failed call counts, its output.</summary>
public sealed record SippResult(int ExitCode, int Successful, int Failed, string Output, string ErrorLog, string Directory)
{
    public override string ToString() => $"exit {ExitCode}, {Successful} ok, {Failed} failed\n{ErrorLog}\n{Output[Math.Max(0, Output.Length - 3000)..]}";
}
