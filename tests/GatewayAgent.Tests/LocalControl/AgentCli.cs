using System.Diagnostics;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.LocalControl;

/// <summary>The gateway-agent CLI run as a real process (dotnet gateway-agent.dll VERB ...), as a technician runs it.</summary>
public static class AgentCli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(AgentProcess.AgentDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new Result(process.ExitCode, await output, await error);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>A socket path short enough for sun_path (108 bytes) and unique per test.</summary>
    public static string TempSocketPath() => Path.Combine(Path.GetTempPath(), $"ga-test-{Guid.NewGuid():N}"[..24] + ".sock");

    /// <summary>Agent settings for the simulated board with its control socket at <paramref name="socket"/>.</summary>
    public static Dictionary<string, string> SimulatedAgent(string socket) => new()
    {
        ["Agent:Board:Kind"] = "sim",
        ["Agent:LocalControl:Socket"] = socket,
    };
}
