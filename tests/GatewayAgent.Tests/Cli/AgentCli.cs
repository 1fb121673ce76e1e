using System.Diagnostics;

namespace GatewayAgent.Tests.Cli;

/// <summary>Runs one gateway-agent verb as a real process (dotnet gateway-agent.dll VERB ...) and collects its output.</summary>
public static class AgentCli
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Support.AgentProcess.AgentDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gateway-agent {string.Join(' ', info.ArgumentList.Skip(1))} did not finish:\n{await stdout}{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>The octal mode and group name of a file, as stat(1) prints them ("600 root").</summary>
    public static async Task<string> StatAsync(string path)
    {
        var info = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("%a %G");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}

/// <summary>A finished CLI run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
