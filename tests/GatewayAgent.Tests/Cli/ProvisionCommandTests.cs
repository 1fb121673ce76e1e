using GatewayAgent.Tests.Installation;
using GatewayAgent.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Tests.Cli;

/// <summary>"gateway-agent provision" as an installer runs it: a real process writing a real file.</summary>
[Trait("Ring", "integration")]
public sealed class ProvisionCommandTests
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("provision-");

    private string Output => Path.Combine(_dir.FullName, "agent.json");

    [Fact]
    public async Task EveryFlag_WritesAFile_Mode0600_ThatTheAgentLoads()
    {
        var ca = Path.Combine(_dir.FullName, "ca.pem");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE-----\n");
        var passwordFile = Path.Combine(_dir.FullName, "mqtt.pw");
        await File.WriteAllTextAsync(passwordFile, "s3cret pass\n");
        var pinMap = Path.Combine(_dir.FullName, "board.json");
        await File.WriteAllTextAsync(pinMap, "{}");
        var port = FreePort.Next();

        var result = await AgentCli.RunAsync(
            "provision", "--output", Output,
            "--site-id", "osaka-01", "--mqtt-host", "broker.example.net", "--mqtt-port", "8883", "--mqtt-username", "osaka-01",
            "--mqtt-password-file", passwordFile, "--ca-file", ca, "--board", "libgpiod", "--pinmap", pinMap,
            "--monitor-number", "03-1234-5678", "--monitor-number", "+81 3 1111 2222", $"--listen=udp:127.0.0.1:{port}", "--listen", $"tcp:127.0.0.1:{port}",
            "--channels", "3", "--allowed-source", "127.0.0.0/8", "--registrar", "udp:192.0.2.1:5060", "--register-user", "agent1",
            "--register-password", "pw", "--register-domain", "example.net");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("600 ", await AgentCli.StatAsync(Output));
        var config = new ConfigurationBuilder().AddJsonFile(Output).Build();
        Assert.Equal("osaka-01", config["Agent:SiteId"]);
        Assert.Equal("broker.example.net", config["Agent:Mqtt:Host"]);
        Assert.Equal("8883", config["Agent:Mqtt:Port"]);
        Assert.Equal("osaka-01", config["Agent:Mqtt:Username"]);
        Assert.Equal("s3cret pass", config["Agent:Mqtt:Password"]);
        Assert.Equal("True", config["Agent:Mqtt:UseTls"]);
        Assert.Equal(ca, config["Agent:Mqtt:CaFile"]);
        Assert.Equal("libgpiod", config["Agent:Board:Kind"]);
        Assert.Equal(pinMap, config["Agent:Board:PinMap"]);
        Assert.Equal("0312345678", config["Agent:Sip:MonitorNumbers:0"]);
        Assert.Equal("0311112222", config["Agent:Sip:MonitorNumbers:1"]);
        Assert.Equal($"tcp:127.0.0.1:{port}", config["Agent:Sip:Listen:1"]);
        Assert.Equal("3", config["Agent:Sip:Channels"]);
        Assert.Equal("127.0.0.0/8", config["Agent:Sip:AllowedSources:0"]);
        Assert.Equal("udp:192.0.2.1:5060", config["Agent:Sip:Register:Registrar"]);
        Assert.Equal("agent1", config["Agent:Sip:Register:User"]);
        Assert.Equal("pw", config["Agent:Sip:Register:Password"]);
        Assert.Equal("example.net", config["Agent:Sip:Register:Domain"]);
        Assert.DoesNotContain(_dir.EnumerateFiles(".*"), f => f.Name.EndsWith(".tmp", StringComparison.Ordinal));

        // The agent itself reads it: SIP-only settings so it starts here (no broker, no board).
        var sipOnly = Path.Combine(_dir.FullName, "sip.json");
        var written = await AgentCli.RunAsync("provision", "--output", sipOnly, "--monitor-number", "0312345678", "--listen", $"udp:127.0.0.1:{port}", "--channels", "3", "--allow-any-source");
        Assert.True(written.ExitCode == 0, written.ToString());
        await using var agent = await AgentProcess.LaunchAsync(AgentProcess.DotnetAgent("run", "--config", sipOnly), TimeSpan.FromSeconds(30));
        var ready = Assert.Single(agent.Output.Split('\n'), l => l.Contains("SIP listening on", StringComparison.Ordinal) && l.Contains("ready", StringComparison.Ordinal));
        Assert.Contains($"udp:127.0.0.1:{port}", ready);
        Assert.Contains("[0312345678], 3 channels", ready);
    }

    [Theory]
    [InlineData("Agent:Mqtt:Port", "--site-id", "s1", "--mqtt-host", "broker", "--mqtt-port", "70000")]
    [InlineData("Agent:Mqtt:Port", "--site-id", "s1", "--mqtt-host", "broker", "--mqtt-port", "0")]
    [InlineData("Agent:Mqtt:Port", "--site-id", "s1", "--mqtt-host", "broker", "--mqtt-port", "http")]
    [InlineData("Agent:SiteId", "--site-id", "osaka/01")]
    [InlineData("Agent:SiteId", "--site-id", "osaka+01")]
    [InlineData("Agent:SiteId", "--mqtt-host", "broker")]
    [InlineData("Agent:Mqtt:Host", "--site-id", "s1", "--mqtt-host", "bad host!")]
    [InlineData("Agent:Mqtt:Host", "--mqtt-port", "1883")]
    [InlineData("Agent:Mqtt:CaFile", "--site-id", "s1", "--mqtt-host", "broker", "--ca-file", "/nonexistent/ca.pem")]
    [InlineData("Agent:Mqtt:Username", "--site-id", "s1", "--mqtt-host", "broker", "--mqtt-password", "pw")]
    [InlineData("Agent:Board:Kind", "--board", "arduino")]
    [InlineData("Agent:Board:PinMap", "--board", "libgpiod", "--pinmap", "/nonexistent/map.json")]
    [InlineData("Agent:Board:PinMap", "--board", "libgpiod", "--pinmap", "no-such-board")]
    [InlineData("Agent:Sip:MonitorNumbers:1", "--monitor-number", "0312345679", "--monitor-number", "03x1234")]
    [InlineData("Agent:Sip:MonitorNumbers:0", "--monitor-number", "+1-212-555-0100")]
    [InlineData("Agent:Sip:MonitorNumbers:0", "--monitor-number", "031234")]
    [InlineData("Agent:Sip:Listen:0", "--listen", "udp:999.0.0.1:5060")]
    [InlineData("Agent:Sip:Listen:0", "--listen", "sctp:0.0.0.0:5060")]
    [InlineData("Agent:Sip:Channels", "--channels", "0")]
    [InlineData("Agent:Sip:Channels", "--channels", "1001")]
    [InlineData("Agent:Sip:AllowedSources:0", "--allowed-source", "10.0.0.0/99")]
    [InlineData("Agent:Sip:Register:Registrar", "--registrar", "nowhere", "--register-user", "u")]
    [InlineData("Agent:Sip:Register:User", "--registrar", "udp:192.0.2.1:5060")]
    public async Task InvalidValue_IsRejected_WithExit2_AndALineNamingTheKey(string key, params string[] flags)
    {
        var args = new List<string> { "provision", "--output", Output };
        if (!flags.Contains("--monitor-number"))
        {
            args.AddRange(["--monitor-number", "0312345678"]);
        }

        args.AddRange(flags);

        var result = await AgentCli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gateway-agent provision: {key}: ", line);
        Assert.False(File.Exists(Output));
    }

    /// <summary>Issue 12 item 4: an adapter on the WAN answers anyone only when told so by name.</summary>
    [Fact]
    public async Task WithoutAnAllowList_ProvisionRefuses_UnlessAllowAnySourceIsGiven()
    {
        var refused = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.StartsWith("gateway-agent provision: Agent:Sip:AllowedSources: required: --allowed-source CIDR", refused.Stderr.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(Output));

        var both = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--allowed-source", "192.0.2.0/24", "--allow-any-source");
        Assert.Equal(2, both.ExitCode);

        var open = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--allow-any-source");
        Assert.True(open.ExitCode == 0, open.ToString());
        Assert.Null(new ConfigurationBuilder().AddJsonFile(Output).Build()["Agent:Sip:AllowedSources:0"]);
    }

    /// <summary>Issue 12 item 4: MQTT over TLS unless --insecure; the registrar's password from a file; SIP bound to the WAN address.</summary>
    [Fact]
    public async Task TlsIsTheDefault_PlainMqttNeedsInsecure_SecretsFromFiles_ListenOnTheWanAddress()
    {
        var secret = Path.Combine(_dir.FullName, "register.secret");
        await File.WriteAllTextAsync(secret, "digest pass\n");
        var tls = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--allowed-source", "192.0.2.0/24",
            "--site-id", "s1", "--mqtt-host", "broker.example.net", "--wan-address", "198.51.100.7",
            "--registrar", "udp:192.0.2.1:5060", "--register-user", "agent1", "--register-password-file", secret);
        Assert.True(tls.ExitCode == 0, tls.ToString());
        var config = new ConfigurationBuilder().AddJsonFile(Output).Build();
        Assert.Equal("True", config["Agent:Mqtt:UseTls"]);
        Assert.Equal("digest pass", config["Agent:Sip:Register:Password"]);
        Assert.Equal(["udp:198.51.100.7:5060", "tcp:198.51.100.7:5060"], config.GetSection("Agent:Sip:Listen").GetChildren().Select(c => c.Value));

        var plain = await AgentCli.RunAsync("provision", "--output", Output, "--force", "--monitor-number", "0312345678", "--allowed-source", "192.0.2.0/24",
            "--site-id", "s1", "--mqtt-host", "broker.example.net", "--insecure");
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal("False", new ConfigurationBuilder().AddJsonFile(Output).Build()["Agent:Mqtt:UseTls"]);

        var contradiction = await AgentCli.RunAsync("provision", "--output", Output, "--force", "--monitor-number", "0312345678", "--allow-any-source",
            "--site-id", "s1", "--mqtt-host", "broker.example.net", "--insecure", "--mqtt-tls");
        Assert.Equal(2, contradiction.ExitCode);
        Assert.StartsWith("gateway-agent provision: Agent:Mqtt:UseTls: ", contradiction.Stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortOutOfRange_MessageNamesKeyValueAndRange()
    {
        var result = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678",
            "--site-id", "s1", "--mqtt-host", "broker", "--mqtt-port", "70000");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gateway-agent provision: Agent:Mqtt:Port: 70000 is not a port (1-65535)", result.Stderr.Trim());
    }

    [Theory]
    [InlineData("--monitor-number")]
    [InlineData("--frobnicate")]
    [InlineData("stray")]
    [InlineData("--force=maybe")]
    public async Task MalformedCommandLine_IsRejected_WithExit2(string arg)
    {
        var result = await AgentCli.RunAsync("provision", "--output", Output, arg);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("gateway-agent provision: ", result.Stderr);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public async Task MissingMonitorNumber_IsRejected()
    {
        var result = await AgentCli.RunAsync("provision", "--output", Output);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("gateway-agent provision: Agent:Sip:MonitorNumbers: ", result.Stderr);
    }

    [Fact]
    public async Task ExistingFile_IsKept_WithoutForce_AndReplacedWithIt()
    {
        await File.WriteAllTextAsync(Output, """{ "Agent": { "Sip": { "MonitorNumbers": ["0399999999"] } } }""");

        var refused = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--allow-any-source");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Stderr);
        Assert.Contains("0399999999", await File.ReadAllTextAsync(Output));

        var forced = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--force", "--allow-any-source");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("0312345678", new ConfigurationBuilder().AddJsonFile(Output).Build()["Agent:Sip:MonitorNumbers:0"]);
    }

    [Fact]
    public async Task PackageDefault_IsReplaced_WithoutForce()
    {
        File.Copy(Path.Combine(InstallationPaths.RepositoryRoot, "systemd", "packaging", "agent.json"), Output);

        var result = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--allow-any-source");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("0312345678", new ConfigurationBuilder().AddJsonFile(Output).Build()["Agent:Sip:MonitorNumbers:0"]);
    }

    [Fact]
    public async Task Group_MakesTheFile0640_ForThatGroup()
    {
        var result = await AgentCli.RunAsync("provision", "--output", Output, "--monitor-number", "0312345678", "--group", "nogroup", "--allow-any-source");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("640 nogroup", await AgentCli.StatAsync(Output));
    }

    [Fact]
    public async Task Help_PrintsEveryFlag()
    {
        var result = await AgentCli.RunAsync("provision", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var flag in new[]
                 {
                     "--site-id", "--mqtt-host", "--mqtt-port", "--mqtt-username", "--mqtt-password", "--mqtt-password-file", "--mqtt-tls",
                     "--ca-file", "--board", "--pinmap", "--monitor-number", "--listen", "--channels", "--allowed-source", "--registrar",
                     "--register-user", "--register-password", "--register-domain", "--output", "--force", "--group", "--help",
                 })
        {
            Assert.Contains($"  {flag} ", result.Stdout);
        }
    }
}
