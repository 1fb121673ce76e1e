using System.Net;
using System.Net.Sockets;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Cli;

/// <summary>"gateway-agent doctor" as a technician runs it, against real sockets and a real broker.</summary>
[Trait("Ring", "integration")]
public sealed class DoctorCommandTests
{
    private readonly string _config;

    public DoctorCommandTests()
    {
        _config = Path.Combine(Directory.CreateTempSubdirectory("doctor-").FullName, "agent.json");
        File.WriteAllText(_config, """{ "Agent": { "Sip": { "MonitorNumbers": ["0312345678"] }, "Board": { "Kind": "sim" } } }""");
    }

    private Task<CliResult> DoctorAsync(int sipPort, params string[] settings) =>
        AgentCli.RunAsync(
            new[]
            {
                "doctor", "--config", _config,
                $"--Agent:Sip:Listen:0=udp:127.0.0.1:{sipPort}", $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{sipPort}",
                $"--Agent:Telemetry:SpoolDirectory={Path.GetDirectoryName(_config)}/spool",
            }.Concat(settings));

    private static string Row(CliResult result, string check, string outcome)
    {
        var rows = result.Stdout.Split('\n').Where(l => l.StartsWith(check + " ", StringComparison.Ordinal)).ToList();
        return Assert.Single(rows, r => r[check.Length..].TrimStart().StartsWith(outcome, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthySimulatedSite_PassesWithExit0()
    {
        var result = await DoctorAsync(FreePort.Next());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("simulated board", Row(result, "gpio", "PASS"));
        Assert.Equal(2, result.Stdout.Split('\n').Count(l => l.StartsWith("sip-port", StringComparison.Ordinal) && l.Contains("PASS", StringComparison.Ordinal)));
        Assert.Contains("no broker configured", Row(result, "broker", "WARN"));
        Row(result, "spool", "PASS");
        Assert.DoesNotContain("FAIL", result.Stdout);
    }

    [Fact]
    public async Task MissingBroker_FailsClearly()
    {
        var brokerPort = FreePort.Next(); // nothing listens there

        var result = await DoctorAsync(FreePort.Next(), "--Agent:SiteId=site-1", "--Agent:Mqtt:Host=127.0.0.1", $"--Agent:Mqtt:Port={brokerPort}");

        Assert.True(result.ExitCode == 1, result.ToString());
        var row = Row(result, "broker", "FAIL");
        Assert.Contains($"127.0.0.1:{brokerPort}: cannot connect", row);
        Assert.Contains("doctor: 1 failed", result.Stdout);
    }

    [Fact]
    public async Task MissingGpioChip_FailsClearly()
    {
        var result = await DoctorAsync(FreePort.Next(), "--Agent:Board:Kind=libgpiod", "--Agent:Board:Chip=57");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("/dev/gpiochip57 does not exist", Row(result, "gpio", "FAIL"));
    }

    [Fact]
    public async Task MissingPinMap_Fails_NamingTheKey()
    {
        var result = await DoctorAsync(FreePort.Next(), "--Agent:Board:Kind=libgpiod", "--Agent:Board:PinMap=/nonexistent/board.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Agent:Board:PinMap", Row(result, "gpio", "FAIL"));
    }

    [Fact]
    public async Task MissingI2cBus_FailsClearly()
    {
        var pinMap = Path.Combine(Path.GetDirectoryName(_config)!, "board.json");
        await File.WriteAllTextAsync(pinMap, """
            // a board whose INA219 sits on a bus this machine does not have
            { "chip": 0, "inputs": { "power-good": { "pin": 6 }, "button": { "pin": 26 } },
              "leds": { "power": { "pin": 17 }, "line": { "pin": 22 }, "cloud": { "pin": 23 }, "alarm": { "pin": 27 } },
              "battery": { "type": "ina219", "bus": 57, "address": "0x42", "shuntOhms": 0.1, "fullVolts": 8.4, "emptyVolts": 6.0 } }
            """);

        var result = await DoctorAsync(FreePort.Next(), "--Agent:Board:Kind=libgpiod", $"--Agent:Board:PinMap={pinMap}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/dev/i2c-57 does not exist", Row(result, "i2c", "FAIL"));
    }

    [Fact]
    public async Task RealBroker_WithTheConfiguredCredentials_Passes_AndAWrongPasswordIsNotAuthorized()
    {
        Assert.True(MosquittoBroker.IsInstalled, "mosquitto is not installed (apt-get install mosquitto)");
        await using var broker = await MosquittoBroker.StartWithUserAsync("site-1", "right-password");

        var good = await DoctorAsync(FreePort.Next(), "--Agent:SiteId=site-1", "--Agent:Mqtt:Host=127.0.0.1", $"--Agent:Mqtt:Port={broker.Port}",
            "--Agent:Mqtt:Username=site-1", "--Agent:Mqtt:Password=right-password");
        var bad = await DoctorAsync(FreePort.Next(), "--Agent:SiteId=site-1", "--Agent:Mqtt:Host=127.0.0.1", $"--Agent:Mqtt:Port={broker.Port}",
            "--Agent:Mqtt:Username=site-1", "--Agent:Mqtt:Password=wrong-password");

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("connected and authorized as site-1", Row(good, "broker", "PASS"));
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("not authorized", Row(bad, "broker", "FAIL"));
        Assert.Contains("site-1-doctor", broker.Log);
    }

    [Fact]
    public async Task SipPort_HeldByAnotherProgram_Fails_HeldByTheRunningAgent_Passes()
    {
        // A port free for both transports (FreePort): an ephemeral UDP port's TCP twin may be another program's
        // connection, and doctor would then fail the tcp row as well.
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, FreePort.Next()));
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var blocked = await DoctorAsync(taken);

        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains($"udp:127.0.0.1:{taken}: in use by pid {Environment.ProcessId}", Row(blocked, "sip-port", "FAIL"));

        await using var agent = await AgentProcess.StartAsync();
        var running = await DoctorAsync(agent.Port);

        Assert.True(running.ExitCode == 0, running.ToString());
        Assert.Contains($"udp:127.0.0.1:{agent.Port}: held by the running agent (pid {agent.ProcessId})", running.Stdout);
        Assert.Contains($"tcp:127.0.0.1:{agent.Port}: held by the running agent (pid {agent.ProcessId})", running.Stdout);
    }

    [Fact]
    public async Task UnreadableConfiguration_Exits2()
    {
        var result = await AgentCli.RunAsync("doctor", "--config", "/nonexistent/agent.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot read the configuration", result.Stderr);
    }
}
