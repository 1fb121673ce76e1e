using System.Diagnostics;
using System.Net;
using GatewayAgent.Board;

namespace GatewayAgent.Tests.Support;

/// <summary>
/// The real gateway-agent executable as a child process: started with test defaults on loopback ports
/// (<see cref="StartAsync"/>) or by any command line (<see cref="LaunchAsync"/>: dotnet, bwrap, qemu-aarch64-static...).
/// Ready when it logs that it listens; its output is kept (<see cref="Output"/>), not shown; stopped with SIGTERM
/// (then killed) on dispose.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    public const string MonitorNumber = "0312345678";

    private readonly ChildProcess _process;

    private AgentProcess(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port the agent listens on, for both UDP and TCP, on 127.0.0.1 (0 when launched by a command line).</summary>
    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public int ProcessId => _process.ProcessId;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the agent wrote so far (stdout and stderr).</summary>
    public string Output => _process.Output;

    public IEnumerable<string> Lines => _process.Lines;

    public static string AgentDll => Path.Combine(AppContext.BaseDirectory, "gateway-agent.dll");

    /// <summary>dotnet gateway-agent.dll ARGS, for <see cref="LaunchAsync"/> or a wrapper's command line.</summary>
    public static ProcessStartInfo DotnetAgent(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(AgentDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>
    /// Starts the agent with defaults for tests (one monitoring number, no rate limit) and the given overrides: the
    /// build's gateway-agent.dll under dotnet, or <paramref name="executable"/> (a packaged, natively compiled agent).
    /// </summary>
    public static async Task<AgentProcess> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, int? port = null, string? configFile = null, string? executable = null)
    {
        var sipPort = port ?? FreePort.Next();
        var all = new Dictionary<string, string>
        {
            ["Agent:Sip:Listen:0"] = $"udp:127.0.0.1:{sipPort}",
            ["Agent:Sip:Listen:1"] = $"tcp:127.0.0.1:{sipPort}",
            ["Agent:Sip:RateLimitPerSecond"] = "0",
            ["Agent:Sip:Rtp:MinPort"] = "30000",
            ["Agent:Sip:Rtp:MaxPort"] = "39999",
            ["Logging:Console:FormatterName"] = "simple",
        };
        if (configFile is null)
        {
            all["Agent:Sip:MonitorNumbers:0"] = MonitorNumber;
            // Agents of different tests can be up at once (a fixture's and a test's): each its own control socket,
            // never the shared default under /run/gateway-agent.
            all["Agent:LocalControl:Socket"] = Path.Combine(Path.GetTempPath(), $"ga-{Guid.NewGuid():N}"[..15] + ".sock");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var info = executable is null ? DotnetAgent() : new ProcessStartInfo(executable);
        if (configFile is not null)
        {
            info.ArgumentList.Add("--config");
            info.ArgumentList.Add(configFile);
        }

        foreach (var (key, value) in all)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        return new AgentProcess(await StartChildAsync(info, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)), sipPort);
    }

    /// <summary>Starts <paramref name="info"/> and waits until the agent reports it listens (or throws with its output).</summary>
    public static async Task<AgentProcess> LaunchAsync(ProcessStartInfo info, TimeSpan readyTimeout) =>
        new(await StartChildAsync(info, readyTimeout, TimeSpan.FromSeconds(30)), 0);

    private static Task<ChildProcess> StartChildAsync(ProcessStartInfo info, TimeSpan readyTimeout, TimeSpan grace)
    {
        info.Environment["DOTNET_gcServer"] = "0";

        // This machine is not a Raspberry Pi, and the agent simulates the board only when told to (issue 12 item 6).
        // A setting on the command line or in a config file still wins over the environment.
        info.Environment.TryAdd("Agent__Board__Kind", BoardSelection.Sim);
        return ChildProcess.StartAsync(info, IsReady, readyTimeout, grace);
    }

    private static bool IsReady(string line) =>
        line.Contains("ready", StringComparison.Ordinal) && line.Contains("SIP listening on", StringComparison.Ordinal);

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged <paramref name="count"/> times (woken by each line).</summary>
    public Task WaitForLogAsync(string text, int count = 1, TimeSpan? timeout = null) =>
        _process.WaitForLineAsync(text, count, timeout ?? TimeSpan.FromSeconds(10));

    public int CountLog(string text) => _process.Count(text);

    /// <summary>Resident memory of the agent process, in bytes (from /proc).</summary>
    public long ResidentBytes() => _process.ResidentBytes();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
