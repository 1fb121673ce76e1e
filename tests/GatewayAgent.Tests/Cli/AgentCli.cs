namespace GatewayAgent.Tests.Cli;

/// <summary>Runs one gateway-agent verb as a real process (dotnet gateway-agent.dll VERB ...) and collects its output.</summary>
public static class AgentCli
{
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var (code, stdout, stderr) = await Tool.RunCapturedAsync("dotnet", [Support.AgentProcess.AgentDll, .. args],
            timeout ?? TimeSpan.FromSeconds(60), environment: environment);
        return new CliResult(code, stdout, stderr);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>The octal mode and group name of a file, as stat(1) prints them ("600 root").</summary>
    public static async Task<string> StatAsync(string path) => (await Tool.CheckedAsync("stat", ["-c", "%a %G", path])).Trim();
}

/// <summary>A finished CLI run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
