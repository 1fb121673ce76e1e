using GatewayAgent.Lab;

namespace GatewayAgent.EndToEnd.Tests.Hosts;

/// <summary>The built gateway-agent, gateway-controller, gateway-portal and gateway-lab, each run as "dotnet NAME.dll" from its own build folder.</summary>
internal static class HostExecutables
{
    private static readonly RepoLayout Layout = RepoLayout.Find(AppContext.BaseDirectory,
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release");

    public static string Agent => Layout.AgentDll;

    public static string Controller => Layout.ControllerDll;

    public static string Portal => Layout.PortalDll;

    public static string Lab => Path.Combine(Layout.Root, "src", "GatewayAgent.Lab", "bin", Layout.Configuration, "net10.0", "gateway-lab.dll");

    /// <summary>Runs one host to its exit in <paramref name="workingDirectory"/>; a host still running after <paramref name="within"/> fails the test.</summary>
    public static async Task<HostRun> RunAsync(string dll, IEnumerable<string> args, string workingDirectory, TimeSpan within)
    {
        var (code, stdout, stderr) = await GatewayAgent.Testing.Tool.RunCapturedAsync("dotnet", [dll, .. args], within, workingDirectory);
        return new HostRun(code, stdout, stderr);
    }
}

/// <summary>A finished host process.</summary>
internal sealed record HostRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The non-empty lines the host wrote to stderr.</summary>
    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
