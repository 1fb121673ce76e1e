using System.Globalization;
using System.Text.RegularExpressions;
using GatewayAgent.Board;
using GatewayAgent.Tests.Installation;
using GatewayAgent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Tests.Cli;

/// <summary>
/// "gateway-agent doctor" reports exactly the GPIO lines "gateway-agent run" opens, for every pin map shipped in
/// hw/pinmaps (the directory is enumerated, so a new map is covered without touching this test): the doctor as a real
/// process, the agent's board opened on the simulated chip with the same Agent:Board settings.
/// </summary>
[Trait("Ring", "integration")]
public sealed partial class DoctorPinMapTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("doctor-pins-");

    public static TheoryData<string> ShippedPinMaps()
    {
        var maps = Directory.EnumerateFiles(Path.Combine(InstallationPaths.RepositoryRoot, "hw", "pinmaps"), "*.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(maps);
        var data = new TheoryData<string>();
        foreach (var map in maps)
        {
            data.Add(map!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedPinMaps))]
    public async Task Doctor_ReportsThePinsRunOpens(string map)
    {
        var path = Path.Combine(InstallationPaths.RepositoryRoot, "hw", "pinmaps", map);
        var options = new BoardOptions { Kind = BoardSelection.Sim, PinMap = path, DeviceTreeModel = "/nonexistent/model" };

        using var board = new AgentBoard(Options.Create(options), TimeProvider.System, NullLogger<AgentBoard>.Instance);
        board.Open();
        var chip = board.SimulatedGpio!;
        var opened = Enumerable.Range(0, 64).Where(chip.IsOpen).ToList(); // the simulated chip has 64 lines

        var doctor = await AgentCli.RunAsync(
            "doctor", "--config", WriteConfig(),
            "--Agent:Board:Kind=sim", $"--Agent:Board:PinMap={path}",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{FreePort.Next()}",
            $"--Agent:Telemetry:SpoolDirectory={Path.Combine(_work.FullName, "spool")}");

        var row = Assert.Single(doctor.Stdout.Split('\n'), l => l.StartsWith("pinmap ", StringComparison.Ordinal));
        Assert.Contains("PASS", row, StringComparison.Ordinal);
        Assert.Contains(map, row, StringComparison.Ordinal);
        var reported = ReportedPin().Matches(row[row.IndexOf("):", StringComparison.Ordinal)..])
            .Select(m => int.Parse(m.Groups["pin"].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(reported.Count, reported.Distinct().Count());
        Assert.Equal(opened.Order(), reported.Order());
        Assert.Equal(board.Hardware!.PinMap.Inputs.Count + board.Hardware.PinMap.Leds.Count, reported.Count);
    }

    private string WriteConfig()
    {
        var config = Path.Combine(_work.FullName, "agent.json");
        File.WriteAllText(config, """{ "Agent": { "Sip": { "MonitorNumbers": ["0312345678"] } } }""");
        return config;
    }

    [GeneratedRegex(@"=(?<pin>\d+)")]
    private static partial Regex ReportedPin();

    public void Dispose() => _work.Delete(recursive: true);
}
