using System.Diagnostics;

namespace GatewayAgent.Testing;

/// <summary>
/// The one command-line runner of the tests: runs a command to completion with its output captured (never on the
/// console), killed with its descendants and reported with that output when it overruns its bound.
/// </summary>
public static class Tool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, stdout, stderr) = await RunCapturedAsync(file, args, timeout ?? TimeSpan.FromMinutes(2), workingDirectory, environment);
        return (code, stdout + stderr);
    }

    /// <summary>Runs <paramref name="file"/> to completion (killed and reported after <paramref name="timeout"/>); stdout and stderr apart.</summary>
    public static async Task<CliResult> RunCapturedAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = new Process { StartInfo = info };
        await ProcessLauncher.StartAsync(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await ProcessStop.KillAsync(process);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish:\n{await stdout}{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> CheckedAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, output) = await RunAsync(file, args, timeout, environment: environment);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)}: exit {code}\n{output}");
        return output;
    }

    /// <summary>"755 root root" / symbolic link target: what stat(1) says of a path (without following links).</summary>
    public static async Task<string> StatAsync(string path) => (await CheckedAsync("stat", ["-c", "%a %U %G %F", path])).Trim();
}
