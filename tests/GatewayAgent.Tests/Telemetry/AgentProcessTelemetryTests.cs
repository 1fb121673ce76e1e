using System.Globalization;
using System.Text.Json;
using GatewayAgent.Contracts;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>The real gateway-agent executable against Debian's mosquitto with passwords and the per-site ACL.</summary>
[Trait("Ring", "integration")]
public sealed class AgentProcessTelemetryTests
{
    private const string Site = "site-a";

    private static Dictionary<string, string> AgentSettings(MosquittoBroker broker, string spool, string site = Site, string user = Site) => new()
    {
        ["Agent:SiteId"] = site,
        ["Agent:Mqtt:Host"] = "127.0.0.1",
        ["Agent:Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
        ["Agent:Mqtt:Username"] = user,
        ["Agent:Mqtt:Password"] = TelemetryBroker.Password,
        ["Agent:Mqtt:ReconnectMin"] = "00:00:00.100",
        ["Agent:Mqtt:ReconnectMax"] = "00:00:01",
        ["Agent:Telemetry:SpoolDirectory"] = spool,
        ["Agent:Sip:Channels"] = "32",
    };

    private static Task<MqttTestClient> ControllerAsync(MosquittoBroker broker, string clientId = "controller", bool persistent = false, params string[] filters) =>
        MqttTestClient.ConnectAsync(broker.Port, clientId, TelemetryBroker.ControllerUser, TelemetryBroker.Password, persistent, filters);

    private static bool IsState(ReceivedMessage m, bool online, string site = Site) =>
        m.Topic == Topics.State(site) && m.Json.GetProperty("online").GetBoolean() == online;

    [Fact]
    public async Task Birth_ThenLastWill_WhenTheAgentIsKilled()
    {
        using var spool = new TempDirectory();
        await using var broker = await TelemetryBroker.StartAsync(Site);
        await using var controller = await ControllerAsync(broker, filters: "gw/v1/#");
        await using var agent = await AgentProcess.StartAsync(AgentSettings(broker, spool.Path));

        var birth = await controller.WaitForAsync(m => IsState(m, online: true), "birth");
        var bdSeq = birth.Json.GetProperty("bdSeq").GetInt64();
        Assert.Equal(AgentProcess.MonitorNumber, birth.Json.GetProperty("numbers")[0].GetString());
        Assert.Matches("^[0-9a-f]{16}$", birth.Json.GetProperty("configHash").GetString());
        Assert.False(string.IsNullOrEmpty(birth.Json.GetProperty("version").GetString()));

        System.Diagnostics.Process.Start("kill", ["-KILL", agent.ProcessId.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();

        var will = await controller.WaitForAsync(m => IsState(m, online: false), "last will");
        Assert.Equal(bdSeq, will.Json.GetProperty("bdSeq").GetInt64());
        Assert.Equal("will", will.Json.GetProperty("reason").GetString());
        // Retained: a dashboard that looks later sees the site offline.
        await using var later = await ControllerAsync(broker, "dashboard", filters: Topics.State(Site));
        var retained = await later.WaitForAsync(m => m.Topic == Topics.State(Site), "retained state");
        Assert.True(retained.Retain);
        Assert.False(retained.Json.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task ProbesThroughTheSipLeg_AreEvents_AndCommandsAreAnswered()
    {
        using var spool = new TempDirectory();
        await using var broker = await TelemetryBroker.StartAsync(Site);
        var replies = Topics.Reply(Site, "controller");
        await using var controller = await ControllerAsync(broker, filters: ["gw/v1/#"]);
        await using var agent = await AgentProcess.StartAsync(AgentSettings(broker, spool.Path));
        var birth = await controller.WaitForAsync(m => IsState(m, online: true), "birth");
        await using var sip = await InProcessSipStack.StartAsync();

        var probe = await sip.CallAsync(agent);
        Assert.Equal(200, probe.FinalStatus);
        var answered = await controller.WaitForAsync(m => m.Topic == Topics.Events(Site) && m.Json.GetProperty("type").GetString() == EventTypes.ProbeAnswered,
            "probe.answered event");
        Assert.Equal(AgentProcess.MonitorNumber, answered.Json.GetProperty("detail").GetString());
        Assert.False(answered.Json.GetProperty("historical").GetBoolean());

        var selfTest = JsonSerializer.Deserialize((await controller.RequestAsync(Topics.Command(Site, CommandVerbs.SelfTest), replies)).Payload,
            ContractsJsonContext.Default.CommandReply)!;
        Assert.True(selfTest.Ok, selfTest.Message);
        var result = selfTest.Data!.Value.Deserialize(ContractsJsonContext.Default.SelfTestResult)!;
        Assert.True(result.Reached);
        Assert.Equal(200, result.FinalStatus);
        Assert.True(result.SetupMilliseconds > 0);

        var led = JsonSerializer.Deserialize((await controller.RequestAsync(Topics.Command(Site, CommandVerbs.LedTest), replies)).Payload,
            ContractsJsonContext.Default.CommandReply)!;
        Assert.Equal(CommandVerbs.LedTest, led.Verb);
        Assert.True(led.Ok, led.Message); // the simulated board's LED test

        var births = controller.Messages.Count(m => IsState(m, online: true));
        var rebirth = (await controller.RequestAsync(Topics.Command(Site, CommandVerbs.Rebirth), replies)).Json;
        Assert.True(rebirth.GetProperty("ok").GetBoolean());
        await controller.WaitForAsync(all => all.Count(m => IsState(m, online: true)) > births, what: "rebirth");
        await controller.WaitForAsync(all => all.Count(m => m.Topic == Topics.Telemetry(Site)) >= 2, what: "snapshot after rebirth");
        var snapshot = controller.Messages.Last(m => m.Topic == Topics.Telemetry(Site)).Json;
        Assert.NotNull(snapshot.GetProperty("sip").GetProperty("lastProbeAnswered").GetString());
        Assert.Equal(birth.Json.GetProperty("bdSeq").GetInt64(), controller.Messages.Last(m => IsState(m, online: true)).Json.GetProperty("bdSeq").GetInt64());
    }

    [Fact]
    public async Task SimulatedBoard_ButtonAndPowerCut_AreEvents()
    {
        using var spool = new TempDirectory();
        var socket = AgentCli.TempSocketPath();
        await using var broker = await TelemetryBroker.StartAsync(Site);
        await using var controller = await ControllerAsync(broker, filters: Topics.Events(Site));
        var settings = AgentSettings(broker, spool.Path);
        foreach (var (key, value) in AgentCli.SimulatedAgent(socket))
        {
            settings[key] = value;
        }

        await using var agent = await AgentProcess.StartAsync(settings);
        await agent.WaitForLogAsync("birth published");

        // The real CLI, through the local control socket, as a technician would.
        Assert.Equal(0, (await AgentCli.RunAsync("sim", "set", "button=long", "--socket", socket)).ExitCode);
        await controller.WaitForAsync(m => m.Json.GetProperty("type").GetString() == EventTypes.TechnicianOnSite, "technician.on-site");
        Assert.Equal(0, (await AgentCli.RunAsync("sim", "set", "power-good=0", "--socket", socket)).ExitCode);
        var lost = await controller.WaitForAsync(m => m.Json.GetProperty("type").GetString() == EventTypes.PowerLost, "power.lost");
        Assert.False(lost.Json.GetProperty("historical").GetBoolean());
        Assert.Equal(0, (await AgentCli.RunAsync("sim", "set", "power-good=1", "--socket", socket)).ExitCode);
        await controller.WaitForAsync(m => m.Json.GetProperty("type").GetString() == EventTypes.PowerRestored, "power.restored");
    }

    [Fact]
    public async Task Acl_RefusesAnAgentPublishingOutsideItsOwnTree()
    {
        using var spool = new TempDirectory();
        await using var broker = await TelemetryBroker.StartAsync(Site);
        await using var controller = await ControllerAsync(broker, filters: "gw/v1/#");
        // Logs in as site-a but claims to be site-b.
        await using var agent = await AgentProcess.StartAsync(AgentSettings(broker, spool.Path, site: "site-b", user: Site));
        // mosquitto 2.0 accepts the CONNECT and answers the birth with NotAuthorized; the agent drops that connection
        // (its Will, also outside its tree, is refused too) and backs off. Two refusals: the first session is closed.
        await agent.WaitForLogAsync("broker refused publish to gw/v1/site-b/state: NotAuthorized", 2);

        // Anything the broker had accepted from the agent before that refusal reaches us before this marker.
        await controller.Client.PublishAsync(new MQTTnet.MqttApplicationMessageBuilder().WithTopic("gw/v1/site-b/marker").WithPayload("{}")
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var seen = await controller.WaitForAsync(all => all.Any(m => m.Topic == "gw/v1/site-b/marker"), what: "marker");
        Assert.DoesNotContain(seen, m => m.Topic.StartsWith("gw/v1/site-b/", StringComparison.Ordinal) && m.Topic != "gw/v1/site-b/marker");
        Assert.DoesNotContain(seen, m => m.Topic.StartsWith("gw/v1/site-a/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spool_BrokerDown_1000ProbeEvents_AgentRestart_AllArriveOnceInOrderAsHistorical()
    {
        using var spool = new TempDirectory();
        await using var broker = await TelemetryBroker.StartAsync(Site);
        var settings = AgentSettings(broker, spool.Path);
        // A persistent session: mosquitto queues the events for it while it is away.
        await using (var early = await ControllerAsync(broker, "ingest", persistent: true, filters: Topics.Events(Site)))
        {
        }

        var agent = await AgentProcess.StartAsync(settings);
        try
        {
            await agent.WaitForLogAsync("birth published");
            await broker.StopAsync();
            await agent.WaitForLogAsync("MQTT connection lost");

            await using (var sip = await InProcessSipStack.StartAsync())
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
                {
                    var result = await sip.CallAsync(agent, timeout: TimeSpan.FromSeconds(10));
                    Assert.Equal(200, result.FinalStatus);
                });
            }

            await agent.WaitForLogAsync("probe.answered", 1000);
        }
        finally
        {
            await agent.DisposeAsync();
        }

        await using var restarted = await AgentProcess.StartAsync(settings);
        await broker.StartAgainAsync();
        await using var ingest = await ControllerAsync(broker, "ingest", persistent: true, filters: Topics.Events(Site));
        await restarted.WaitForLogAsync("replayed");

        // The stop event (seq 1001) is replayed after the probes: wait for it too, not only for the 1000th probe.
        var all = await ingest.WaitForAsync(
            m => m.Count(x => x.Payload.Contains(EventTypes.ProbeAnswered, StringComparison.Ordinal)) >= 1000
                 && m.Any(x => x.Payload.Contains(EventTypes.AgentStopping, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "1000 probe.answered and the agent.stopping after them");
        var events = all.Select(m => JsonSerializer.Deserialize(m.Payload, ContractsJsonContext.Default.AgentEvent)!).ToList();
        var probes = events.Where(e => e.Type == EventTypes.ProbeAnswered).ToList();
        Assert.Equal(1000, probes.Count);
        Assert.Equal(1000, probes.Select(e => e.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), probes.Select(e => e.Seq));
        Assert.All(probes, e => Assert.True(e.Historical));
        Assert.Contains(events, e => e.Type == EventTypes.AgentStopping && e.Seq == 1001);
    }

    [Theory]
    [InlineData("--Agent:Mqtt:Port=70000", "Agent:Mqtt:Port: The field Port must be between 1 and 65535.")]
    [InlineData("--Agent:SiteId=bad/site", "Agent:SiteId: required when Agent:Mqtt:Host is set")]
    [InlineData("--Agent:Mqtt:ReconnectMin=00:02:00", "Agent:Mqtt:ReconnectMin must not exceed ReconnectMax")]
    [InlineData("--Agent:Mqtt:CaFile=/nonexistent/ca.pem", "Agent:Mqtt:CaFile: file '/nonexistent/ca.pem' does not exist")]
    [InlineData("--Agent:Telemetry:Interval=00:00:00", "Agent:Telemetry:Interval")]
    public async Task BadTelemetrySetting_StopsTheAgent_NamingTheKey(string setting, string message)
    {
        var result = await AgentCli.RunAsync("--Agent:Sip:Listen:0=udp:127.0.0.1:0", "--Agent:Board:Kind=sim",
            "--Agent:LocalControl:Socket=" + AgentCli.TempSocketPath(),
            "--Agent:SiteId=" + Site, "--Agent:Mqtt:Host=127.0.0.1", "--Agent:Mqtt:UseTls=true", setting);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("gateway-agent: invalid configuration: " + message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutMqttHost_TheAgentAnswersProbes_AndSaysTelemetryIsOff()
    {
        await using var agent = await AgentProcess.StartAsync();
        await agent.WaitForLogAsync("telemetry is off (no Agent:Mqtt:Host)");
        await using var sip = await InProcessSipStack.StartAsync();
        Assert.Equal(200, (await sip.CallAsync(agent)).FinalStatus);
    }
}
