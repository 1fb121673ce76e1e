using System.Net.Sockets;
using System.Text;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.LocalControl;

/// <summary>The control socket and the CLI verbs around it: errors a technician can act on, config sources, protocol.</summary>
[Trait("Ring", "integration")]
public sealed class LocalControlTests
{
    [Theory]
    [InlineData("colour=red", "unknown simulated input 'colour'")]
    [InlineData("power-good=2", "bad value '2' for power-good")]
    [InlineData("button=maybe", "bad value 'maybe' for button")]
    [InlineData("wan", "'wan' is not NAME=VALUE")]
    public async Task SimSet_UnknownNameOrValue_Exits2_NamingIt(string pair, string message)
    {
        var result = await AgentCli.RunAsync("sim", "set", pair, "--socket", AgentCli.TempSocketPath());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }

    [Fact]
    public async Task Status_WithNoAgent_Exits1_SayingWhere()
    {
        var socket = AgentCli.TempSocketPath();

        var result = await AgentCli.RunAsync("status", "--socket", socket);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"gateway-agent: cannot reach the agent at {socket}: is it running?", result.Stderr);
    }

    [Fact]
    public async Task Cli_FindsTheSocket_FromTheSameConfigurationSourcesAsTheAgent()
    {
        var socket = AgentCli.TempSocketPath();
        await using var agent = await AgentProcess.StartAsync(AgentCli.SimulatedAgent(socket));
        await agent.WaitForLogAsync("local control listening on " + socket);

        var fromArgument = await AgentCli.RunAsync("status", $"--Agent:LocalControl:Socket={socket}");
        var fromEnvironment = await AgentCli.RunAsync(new Dictionary<string, string> { ["GATEWAY_Agent__LocalControl__Socket"] = socket }, "status");
        var configFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(configFile, $$"""{ "Agent": { "LocalControl": { "Socket": "{{socket}}" } } }""");
            var fromFile = await AgentCli.RunAsync("status", "--config", configFile);
            Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        }
        finally
        {
            File.Delete(configFile);
        }

        Assert.True(fromArgument.ExitCode == 0, fromArgument.Stderr);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.Stderr);
        Assert.Contains("on sim", fromEnvironment.Stdout);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Socket_IsGroupReadWrite_AndRemovedAtStop()
    {
        var socket = AgentCli.TempSocketPath();
        await using (var agent = await AgentProcess.StartAsync(AgentCli.SimulatedAgent(socket)))
        {
            await agent.WaitForLogAsync("local control listening on " + socket);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(socket));
        }

        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task Protocol_OneJsonLinePerRequest_WithClearErrors()
    {
        var socket = AgentCli.TempSocketPath();
        await using var agent = await AgentProcess.StartAsync(AgentCli.SimulatedAgent(socket));
        await agent.WaitForLogAsync("local control listening on " + socket);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
        await using var stream = new NetworkStream(client);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        async Task<string> AskAsync(string line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            return (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
        }

        string Error(string reply)
        {
            var root = System.Text.Json.JsonDocument.Parse(reply).RootElement;
            Assert.False(root.GetProperty("ok").GetBoolean());
            return root.GetProperty("error").GetString()!;
        }

        Assert.StartsWith("unknown verb 'reboot' (known: led-test, sim-set, status)", Error(await AskAsync("""{"verb":"reboot"}""")));
        Assert.StartsWith("not a JSON request", Error(await AskAsync("status please")));
        Assert.StartsWith("bad value 'maybe' for wan", Error(await AskAsync("""{"verb":"sim-set","args":["wan=maybe"]}""")));
        Assert.StartsWith("""{"ok":true""", await AskAsync("""{"verb":"sim-set","args":["battery-low=1"]}"""));
        await agent.WaitForLogAsync("battery.low");
        var status = await AskAsync("""{"verb":"status"}""");
        Assert.Contains("\"batteryLow\":true", status);
        Assert.Contains("\"power\":\"fast-blink\"", status);
        Assert.StartsWith("""{"ok":true,"message":"LED test done"}""", await AskAsync("""{"verb":"led-test"}"""));
    }
}
