namespace GatewayAgent.Tests.Support;

/// <summary>Runs one gateway-agent verb as a real process (dotnet gateway-agent.dll VERB ...), as a technician runs it.</summary>
public static class AgentCli
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null);

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) => RunAsync(args, environment);

    /// <summary>
    /// This machine is not a Raspberry Pi, and the agent simulates the board only when told to (issue 12 item 6): the
    /// environment sets Agent:Board:Kind=sim unless <paramref name="environment"/> sets it (to "" for the automatic
    /// choice); a --config file or the command line still wins over it.
    /// </summary>
    public static Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var all = new Dictionary<string, string> { ["Agent__Board__Kind"] = "sim" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return Tool.RunCapturedAsync("dotnet", [AgentProcess.AgentDll, .. args], timeout ?? Bound, environment: all);
    }

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
