namespace GatewayAgent.Tests.Support;

/// <summary>Runs one gateway-agent verb as a real process (dotnet gateway-agent.dll VERB ...), as a technician runs it.</summary>
public static class AgentCli
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) => RunAsync(args, environment);

    public static Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        Tool.RunCapturedAsync("dotnet", [AgentProcess.AgentDll, .. args], timeout ?? Bound, environment: environment);

    /// <summary>The octal mode and group name of a file, as stat(1) prints them ("600 root").</summary>
    public static async Task<string> StatAsync(string path) => (await Tool.CheckedAsync("stat", ["-c", "%a %G", path])).Trim();

    /// <summary>A socket path short enough for sun_path (108 bytes) and unique per test.</summary>
    public static string TempSocketPath() => Path.Combine(Path.GetTempPath(), $"ga-test-{Guid.NewGuid():N}"[..24] + ".sock");

    /// <summary>Agent settings for the simulated board with its control socket at <paramref name="socket"/>.</summary>
    public static Dictionary<string, string> SimulatedAgent(string socket) => new()
    {
        ["Agent:Board:Kind"] = "sim",
        ["Agent:LocalControl:Socket"] = socket,
    };
}
