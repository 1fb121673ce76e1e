using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Board;

/// <summary>Bad Agent:Board settings stop the real agent with one line naming the key (and the pin map field).</summary>
[Trait("Ring", "integration")]
public sealed class BoardConfigurationTests
{
    [Theory]
    [InlineData("--Agent:Board:Kind=arduino", "Agent:Board:Kind 'arduino' must be sim, rpi or libgpiod")]
    [InlineData("--Agent:Board:WanPollInterval=00:00:00", "Agent:Board:WanPollInterval")]
    [InlineData("--Agent:Board:LibGpiodVersion=v3", "Agent:Board:LibGpiodVersion 'v3' must be auto, v1 or v2")]
    [InlineData("--Agent:Board:ShortPressMax=00:00:05", "Agent:Board:ShortPressMax (00:00:05) must not be longer than Agent:Board:LongPress")]
    [InlineData("--Agent:Board:PinMap=/nonexistent/board.json", "Agent:Board:PinMap: pinmap board.json: cannot read /nonexistent/board.json")]
    public async Task BadSetting_StopsTheAgent_NamingTheKey(string setting, string message)
    {
        // The simulated board first, so the setting under test (given later, a later value wins) is the only fault.
        var result = await AgentCli.RunAsync("--Agent:Sip:Listen:0=udp:127.0.0.1:0", "--Agent:LocalControl:Socket=" + AgentCli.TempSocketPath(),
            "--Agent:Board:Kind=sim", setting);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("gateway-agent: invalid configuration: " + message, result.Stderr);
    }

    [Fact]
    public async Task NoKind_OnABoardThatIsNotARaspberryPi_StopsTheAgent_TheSimulatedBoardRunsOnlyWhenSet()
    {
        var model = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(model, "Radxa ROCK 5B\0");
        try
        {
            // Before issue 12 item 6 this agent ran the simulated board and reported simulated mains and WAN as the site's.
            var refused = await AgentCli.RunAsync(["--Agent:Sip:Listen:0=udp:127.0.0.1:0", "--Agent:LocalControl:Socket=" + AgentCli.TempSocketPath(),
                "--Agent:Board:DeviceTreeModel=" + model], new Dictionary<string, string> { ["Agent__Board__Kind"] = "" });

            Assert.True(refused.ExitCode == 2, refused.ToString());
            var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("gateway-agent: invalid configuration: Agent:Board:Kind is not set and this is not a Raspberry Pi (device-tree model: 'Radxa ROCK 5B'): ", line, StringComparison.Ordinal);
            Assert.Contains("Agent:Board:Kind=sim for the simulated board", line, StringComparison.Ordinal);

            // Said explicitly, the same machine runs it.
            await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
            {
                ["Agent:Board:Kind"] = "sim",
                ["Agent:Board:DeviceTreeModel"] = model,
            });
            await agent.WaitForLogAsync("board sim (");
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Fact]
    public async Task PinMapWithAPinUsedTwice_StopsTheAgent_NamingTheField()
    {
        var source = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "pinmaps", "rpi4.json"));
        var path = Path.Combine(Path.GetTempPath(), $"rpi4-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, source.Replace("\"alarm\": { \"pin\": 27", "\"alarm\": { \"pin\": 17", StringComparison.Ordinal));
        try
        {
            var result = await AgentCli.RunAsync("--Agent:Sip:Listen:0=udp:127.0.0.1:0", "--Agent:Board:Kind=sim", "--Agent:Board:PinMap=" + path);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"Agent:Board:PinMap: pinmap {Path.GetFileName(path)}: leds.alarm.pin: 17 is used twice (also leds.power)", result.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
