namespace GatewayAgent.EndToEnd.Tests.Hosts;

/// <summary>
/// "--help" and "-h" on every host and every agent verb: usage on stdout, exit 0, and nothing started — run in an
/// empty working directory, which stays empty (gateway-controller used to create ./data/controller.db there), and the
/// process exits at once instead of serving (gateway-agent --help used to start a second agent on port 5060).
/// </summary>
[Trait("Ring", "e2e")]
public sealed class HostHelpTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _empty = Directory.CreateTempSubdirectory("host-help-");

    public static TheoryData<string, string> Invocations()
    {
        var data = new TheoryData<string, string>();
        foreach (var help in new[] { "--help", "-h" })
        {
            data.Add("agent", help);
            foreach (var verb in new[] { "run", "provision", "doctor", "status", "sim", "version" })
            {
                data.Add("agent", $"{verb} {help}");
            }

            data.Add("agent", $"run --Agent:Sip:Channels=4 {help}");
            data.Add("controller", help);
            data.Add("controller", $"--Controller:DataDirectory=data {help}");
            data.Add("portal", help);
            data.Add("portal", $"--Portal:IdleTimeout=00:05:00 {help}");
            data.Add("lab", help);
            data.Add("lab", $"--sites 2 {help}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Invocations))]
    public async Task Help_PrintsUsage_Exits0_AndStartsNothing(string host, string arguments)
    {
        var dll = host switch
        {
            "agent" => HostExecutables.Agent,
            "controller" => HostExecutables.Controller,
            "portal" => HostExecutables.Portal,
            _ => HostExecutables.Lab,
        };

        var run = await HostExecutables.RunAsync(dll, arguments.Split(' '), _empty.FullName, Prompt);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("usage:", run.Stdout, StringComparison.Ordinal);
        Assert.True(run.Stderr.Length == 0, run.ToString());
        Assert.Empty(_empty.EnumerateFileSystemInfos());
    }

    public void Dispose() => _empty.Delete(recursive: true);
}
