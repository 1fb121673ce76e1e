using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The linux-arm64 .deb's agent (the Native AOT executable the Pi runs), run under qemu-aarch64-static (Debian
/// qemu-user-static, with libc6:arm64 and libssl3:arm64): it starts, answers a sipp probe and, once the agent has MQTT
/// telemetry, publishes its birth to a real broker. Emulation on a busy machine is slow: generous timeouts.
/// </summary>
[Trait("Ring", "integration")]
public sealed class Arm64EmulationTests : IClassFixture<Arm64PackageFixture>
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";
    private const string SiteId = "arm64-site";

    private readonly Arm64PackageFixture _package;

    public Arm64EmulationTests(Arm64PackageFixture package) => _package = package;

    /// <summary>The MQTT part runs when the agent carries the telemetry publisher (issue 3's telemetry work).</summary>
    public static bool AgentHasTelemetry =>
        typeof(GatewayAgent.Hosting.AgentHost).Assembly.GetType("GatewayAgent.Telemetry.MqttTelemetryPublisher") is not null;

    [ToolFact(Qemu, "qemu-user-static")]
    public async Task Arm64Build_UnderQemu_Starts_AnswersAProbe_AndPublishesItsBirth()
    {
        Assert.True(File.Exists("/lib/ld-linux-aarch64.so.1"), "the arm64 loader is missing: dpkg --add-architecture arm64 && apt-get install libc6:arm64 libssl3:arm64");
        Assert.True(Sipp.IsInstalled, "sipp is not installed (apt-get install sip-tester)");
        var header = new byte[20];
        await using (var file = File.OpenRead(_package.Executable))
        {
            await file.ReadExactlyAsync(header);
        }

        Assert.Equal(0xB7, BitConverter.ToUInt16(header, 18)); // ELF e_machine: EM_AARCH64

        await using var broker = AgentHasTelemetry ? await MosquittoBroker.StartOpenAsync() : null;
        var port = FreePort.Next();
        var info = new System.Diagnostics.ProcessStartInfo(Qemu);
        var args = new List<string>
        {
            _package.Executable, "run",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{port}", $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{port}",
            $"--Agent:Sip:MonitorNumbers:0={AgentProcess.MonitorNumber}",
            "--Agent:Sip:Rtp:MinPort=30000", "--Agent:Sip:Rtp:MaxPort=39999",
        };
        if (broker is not null)
        {
            args.AddRange([
                $"--Agent:SiteId={SiteId}", "--Agent:Mqtt:Host=127.0.0.1", $"--Agent:Mqtt:Port={broker.Port}",
                $"--Agent:Telemetry:SpoolDirectory={Directory.CreateTempSubdirectory("arm64-spool-").FullName}",
            ]);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        await using var agent = await AgentProcess.LaunchAsync(info, TimeSpan.FromSeconds(180));

        var probe = await Sipp.RunAsync(["-sn", "uac", "-s", AgentProcess.MonitorNumber, $"127.0.0.1:{port}", "-m", "1", "-l", "1",
            "-timeout", "120", "-recv_timeout", "60000"], TimeSpan.FromMinutes(3));
        Assert.True(probe.ExitCode == 0 && probe.Successful == 1, probe + "\nagent:\n" + agent.Output);
        await agent.WaitForLogAsync("probe.answered", timeout: TimeSpan.FromSeconds(30));

        if (broker is not null)
        {
            // The retained birth on gw/v1/{site}/state, read by mosquitto's own client.
            var birth = await Tool.CheckedAsync("mosquitto_sub",
                ["-h", "127.0.0.1", "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5",
                 "-t", GatewayAgent.Contracts.Topics.State(SiteId), "-C", "1", "-W", "120"], TimeSpan.FromMinutes(3));
            Assert.Contains("\"online\":true", birth.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }
    }
}
