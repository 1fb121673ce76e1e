using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Answering;

/// <summary>What an installer sees at start: clear errors for bad settings, a busy port, and the source list at work.</summary>
[Trait("Ring", "integration")]
public sealed class AgentStartupTests
{
    /// <summary>A bound for an answer that comes at once; reached only when the test fails.</summary>
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(10);

    private static async Task<(int ExitCode, string Output)> RunAgentAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(AgentProcess.AgentDll);
        info.ArgumentList.Add("--Agent:Board:Kind=sim"); // not a Raspberry Pi: the board is simulated only when set (issue 12 item 6)
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return (process.ExitCode, await output + await error);
    }

    [Theory]
    [InlineData("--Agent:Sip:Channels=0", "Agent:Sip:Channels")]
    [InlineData("--Agent:Sip:Listen:0=bogus", "Agent:Sip:Listen:0")]
    [InlineData("--Agent:Sip:AllowedSources:0=10.0.0.0/99", "Agent:Sip:AllowedSources")]
    [InlineData("--Agent:Sip:MaxCallDuration=00:00:00", "Agent:Sip:MaxCallDuration")]
    [InlineData("--Agent:Sip:Register:Registrar=nowhere", "Agent:Sip:Register:Registrar")]
    public async Task BadSetting_StopsTheAgent_WithOneLineNamingTheKey(string setting, string key)
    {
        var (exitCode, output) = await RunAgentAsync("--Agent:Sip:Listen:0=udp:127.0.0.1:0", "--Agent:Sip:Register:User=agent1", setting);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("gateway-agent: invalid configuration:", StringComparison.Ordinal));
        Assert.Contains(key, line);
    }

    [Fact]
    public async Task PortInUse_StopsTheAgent_WithAClearError()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var (exitCode, output) = await RunAgentAsync($"--Agent:Sip:Listen:0=udp:127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        Assert.Contains("gateway-agent: cannot start: cannot bind udp:127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture), output);
    }

    /// <summary>
    /// Issue 12 item 4: a partial override of a listen list from an earlier source (here the config file's, as it was
    /// appsettings.json's default) is refused, naming the element that would have stayed. The built-in default is no
    /// longer an array in appsettings.json, so a list given anywhere replaces it as a whole.
    /// </summary>
    [Fact]
    public async Task ListenOverride_OfPartOfAList_IsRefused_NamingTheElementLeftOver()
    {
        var port = FreePort.Next();
        var file = Path.Combine(Directory.CreateTempSubdirectory("agent-listen-").FullName, "agent.json");
        await File.WriteAllTextAsync(file, $$"""{ "Agent": { "Sip": { "Listen": ["udp:127.0.0.1:{{port}}", "tcp:0.0.0.0:{{port}}"] } } }""");
        var (exitCode, output) = await RunAgentAsync("--config", file, $"--Agent:Sip:Listen:0=udp:127.0.0.2:{port}");

        Assert.Equal(2, exitCode);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("gateway-agent: invalid configuration:", StringComparison.Ordinal));
        Assert.Contains($"Agent:Sip:Listen:1 'tcp:0.0.0.0:{port}' is left from an earlier configuration source", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFile_IsRead_AndCommandLineOverridesIt()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("agent-config-").FullName, "agent.json");
        await File.WriteAllTextAsync(file, """{ "Agent": { "Sip": { "MonitorNumbers": ["0311112222"], "Channels": 7 } } }""");

        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string> { ["Agent:Sip:Channels"] = "3" }, configFile: file);

        var ready = Assert.Single(agent.Lines, l => l.Contains("SIP listening on", StringComparison.Ordinal) && l.Contains("ready", StringComparison.Ordinal));
        Assert.Contains("0311112222", ready);
        Assert.Contains("3 channels", ready);
    }

    [Theory]
    [InlineData("Reject")]
    [InlineData("Drop")]
    public async Task SourceOutsideTheAllowedList_IsRefused(string mode)
    {
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:Sip:AllowedSources:0"] = "192.0.2.0/24",
            ["Agent:Sip:AllowedSources:1"] = "127.0.0.2/32", // the marker below
            ["Agent:Sip:RejectMode"] = mode,
        });
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(Options(client, agent.Port, "src1"), agent.EndPoint);

        if (mode == "Reject")
        {
            var answer = await client.ReceiveAsync().WaitAsync(Answered);
            Assert.StartsWith("SIP/2.0 403", Encoding.UTF8.GetString(answer.Buffer));
        }
        else
        {
            // Drop: nothing comes back. An allowed source's request sent after it is answered; the agent handles its
            // socket's datagrams one after the other, so a 403 for the first would be in our socket before that answer.
            using var allowed = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            await allowed.SendAsync(Options(allowed, agent.Port, "marker"), agent.EndPoint);
            var marker = await allowed.ReceiveAsync().WaitAsync(Answered);
            Assert.StartsWith("SIP/2.0 200", Encoding.UTF8.GetString(marker.Buffer));
            // The first was heard and refused, on its first bytes: Drop mode parses nothing it will not answer (issue 12 item 2).
            await agent.WaitForLogAsync("Refused request (dropped before parsing) from");
            Assert.True(client.Available == 0, "Drop mode answered");
        }
    }

    private static byte[] Options(UdpClient from, int agentPort, string branch)
    {
        var local = (IPEndPoint)from.Client.LocalEndPoint!;
        return Encoding.ASCII.GetBytes(
            $"OPTIONS sip:{AgentProcess.MonitorNumber}@127.0.0.1:{agentPort} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {local.Address}:{local.Port};branch=z9hG4bK-{branch};rport\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:probe@{local.Address}>;tag=a1\r\nTo: <sip:{AgentProcess.MonitorNumber}@127.0.0.1>\r\n" +
            $"Call-ID: {branch}-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
    }
}
