namespace GatewayAgent.Tests.Support;

/// <summary>Runs the real sipp (Debian sip-tester) against a target and reads its verdict (GatewayAgent.Testing's SippProcess).</summary>
public static class Sipp
{
    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    public static bool IsInstalled => SippProcess.IsInstalled;

    /// <summary>Runs sipp with the given arguments (plus -p with a free port and trace files in a temp folder) to its end.</summary>
    public static async Task<SippResult> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        await using var sipp = SippProcess.Start(arguments);
        return await sipp.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }
}
