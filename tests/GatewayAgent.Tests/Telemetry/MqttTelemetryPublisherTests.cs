using System.Text.Json;
using GatewayAgent.Contracts;
using GatewayAgent.Status;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>The telemetry publisher in process against the embedded MQTTnet broker, with real spool files.</summary>
[Trait("Ring", "integration")]
public sealed class MqttTelemetryPublisherTests
{
    private const string Site = "site-a";

    private static bool IsEvent(ReceivedMessage m, string type) =>
        m.Topic == Topics.Events(Site) && m.Json.GetProperty("type").GetString() == type;

    [Fact]
    public async Task Birth_IsRetained_WithVersionBdSeqAndConfigHash()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path));
        await agent.Log.WaitForAsync("birth published");

        // A consumer that subscribes afterwards still gets the birth: it is retained.
        await using var consumer = await MqttTestClient.ConnectAsync(broker.Port, "consumer", filters: Topics.State(Site));
        var birth = await consumer.WaitForAsync(m => m.Topic == Topics.State(Site), "retained birth");
        Assert.True(birth.Retain);
        var state = birth.Json;
        Assert.True(state.GetProperty("online").GetBoolean());
        Assert.Equal(1, state.GetProperty("bdSeq").GetInt64());
        Assert.Equal(AgentVersion.Current, state.GetProperty("version").GetString());
        Assert.Matches("^[0-9a-f]{16}$", state.GetProperty("configHash").GetString());
        Assert.Equal(CloudState.Connected, agent.Status.Cloud);
    }

    /// <summary>Issue 12 item 5: a bdSeq whose save fails (a full disk) is kept in memory; the session goes on; the save is retried.</summary>
    [Fact]
    public async Task BdSeqThatCannotBeSaved_DoesNotStopTheSession_AndIsSavedLater()
    {
        using var dir = new TempDirectory();
        // A directory where the save writes its temporary file: the save fails, for root too.
        var blocker = Directory.CreateDirectory(Path.Combine(dir.Path, "birth.json.tmp"));
        await using var broker = await EmbeddedBroker.StartAsync();
        var settings = InProcessTelemetryAgent.Settings(broker.Port, dir.Path);
        settings["Agent:Telemetry:Interval"] = "00:00:01";
        await using var agent = await InProcessTelemetryAgent.StartAsync(settings);

        await agent.Log.WaitForAsync("birth published");
        Assert.Contains(agent.Log.Lines, l => l.Contains("saving bdSeq 1 to birth.json failed", StringComparison.Ordinal));
        agent.Hub.Raise(EventTypes.Button, "short");
        await broker.WaitForAsync(p => p.Any(m => IsEvent(m, EventTypes.Button)), what: "the event of the unsaved session");
        Assert.Equal(CloudState.Connected, agent.Status.Cloud);
        Assert.Equal(1, agent.Publisher.BdSeq);
        Assert.False(File.Exists(Path.Combine(dir.Path, "birth.json")));

        blocker.Delete();
        await agent.Log.WaitForAsync("bdSeq 1 saved to birth.json");
        using var saved = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir.Path, "birth.json")));
        Assert.Equal(1, saved.RootElement.GetProperty("bdSeq").GetInt64());
    }

    [Fact]
    public async Task Events_CarryIdSeqAndTs_AndSnapshotFollowsBirth()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path));
        await agent.Log.WaitForAsync("birth published");
        agent.Status.Power = PowerSource.Mains;

        agent.Hub.Raise(EventTypes.WanDown, "eth0");
        agent.Hub.Raise(EventTypes.WanUp, "eth0");
        agent.Hub.Raise(EventTypes.Button, "short");

        var all = await broker.WaitForAsync(p => p.Count(m => m.Topic == Topics.Events(Site)) >= 3, what: "3 events");
        var events = all.Where(m => m.Topic == Topics.Events(Site)).Select(m => JsonSerializer.Deserialize(m.Payload, ContractsJsonContext.Default.AgentEvent)!).ToList();
        Assert.Equal([EventTypes.WanDown, EventTypes.WanUp, EventTypes.Button], events.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Seq));
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
        Assert.All(events, e => Assert.False(e.Historical));
        Assert.All(events, e => Assert.InRange(e.Ts, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow));
        Assert.Equal("short", events[2].Detail);

        var snapshot = all.First(m => m.Topic == Topics.Telemetry(Site)).Json;
        Assert.Equal("unknown", snapshot.GetProperty("wan").GetString());
        Assert.Equal(0, snapshot.GetProperty("sip").GetProperty("activeCalls").GetInt32());
        Assert.True(snapshot.GetProperty("uptimeSeconds").GetDouble() >= 0);
        // Delivered events leave the spool: the PUBACK is logged as "published" just before the spool is trimmed,
        // so wait for the depth the spool reports (AgentStatus.SpoolDepth follows it), not for the log line.
        await agent.Log.WaitForAsync("event button seq 3 published");
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (agent.Publisher.Spool!.Depth == 0)
            {
                drained.TrySetResult();
            }
        }

        agent.Status.Changed += Check;
        Check();
        await drained.Task.WaitAsync(TimeSpan.FromSeconds(10));
        agent.Status.Changed -= Check;
        Assert.Equal(0, agent.Publisher.Spool!.Depth);
    }

    /// <summary>
    /// Issue 14: a PUBACK with reason 0x10 NoMatchingSubscribers means the broker dropped the event (nobody subscribed,
    /// as mosquitto answers before the controller's shared subscription is back). The event stays in the spool and is
    /// sent again after the reconnect-style backoff until a success PUBACK; the snapshot and birth are unaffected.
    /// </summary>
    [Fact]
    public async Task An_event_routed_to_nobody_stays_spooled_and_is_sent_again_until_a_success_puback()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path));
        await agent.Log.WaitForAsync("birth published");
        broker.RouteNextEventsToNobody(3);

        agent.Hub.Raise(EventTypes.WanDown, "eth0");

        var all = await broker.WaitForAsync(p => p.Any(m => IsEvent(m, EventTypes.WanDown)), what: "wan.down, after 3 unrouted attempts");
        Assert.Equal(3, broker.UnroutedAnswered);
        var delivered = Assert.Single(all, m => IsEvent(m, EventTypes.WanDown));
        Assert.Equal(1, delivered.Json.GetProperty("seq").GetInt64());
        Assert.False(delivered.Json.GetProperty("historical").GetBoolean());
        await agent.Log.WaitForAsync("events reach a subscriber again after 3 retries");
        Assert.Equal(3, agent.Log.Records.Count(r => r.Id.Id == 2314));
        Assert.Equal(0, agent.Publisher.Spool!.Depth);
    }

    [Fact]
    public async Task PowerLost_JumpsAheadOfSpooledEvents_AfterAnOutage()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path));
        await agent.Log.WaitForAsync("birth published");
        await broker.StopAsync();
        await agent.Log.WaitForAsync("MQTT connection lost");

        for (var i = 0; i < 200; i++)
        {
            agent.Hub.Raise(EventTypes.ProbeAnswered, "0312345678");
        }

        agent.Hub.Raise(EventTypes.PowerLost, "power-good low");
        Assert.Equal(201, agent.Status.SpoolDepth);
        await broker.StartAgainAsync();

        var all = await broker.WaitForAsync(p => p.Count(m => m.Topic == Topics.Events(Site)) >= 201, what: "201 events");
        var events = all.Where(m => m.Topic == Topics.Events(Site)).Select(m => m.Json).ToList();
        Assert.Equal(EventTypes.PowerLost, events[0].GetProperty("type").GetString());
        Assert.Equal(201, events[0].GetProperty("seq").GetInt64());
        // The rest follow in seq order, all marked as replayed from the spool.
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), events.Skip(1).Select(e => e.GetProperty("seq").GetInt64()));
        Assert.All(events, e => Assert.True(e.GetProperty("historical").GetBoolean()));
    }

    [Fact]
    public async Task Spool_BrokerOutageAndAgentRestart_DeliverEveryEventOnceInOrder_AsHistorical()
    {
        using var dir = new TempDirectory();
        var settings = InProcessTelemetryAgent.Settings(FreePortForBroker(), dir.Path);
        var broker = new EmbeddedBroker(int.Parse(settings["Agent:Mqtt:Port"]!, System.Globalization.CultureInfo.InvariantCulture));
        await using (broker)
        {
            await broker.StartAgainAsync();
            await using (var first = await InProcessTelemetryAgent.StartAsync(settings))
            {
                await first.Log.WaitForAsync("birth published");
                await broker.StopAsync();
                await first.Log.WaitForAsync("MQTT connection lost");
                for (var i = 0; i < 1000; i++)
                {
                    first.Hub.Raise(EventTypes.ProbeAnswered, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                await first.StopAsync();
            }

            // A new agent process on the same spool, then the broker comes back.
            await using var second = await InProcessTelemetryAgent.StartAsync(settings);
            await broker.StartAgainAsync();
            await second.Log.WaitForAsync("replayed");
            second.Hub.Raise(EventTypes.WanUp, "after restart");

            var all = await broker.WaitForAsync(p => p.Any(m => m.Topic == Topics.Events(Site) && m.Payload.Contains("after restart", StringComparison.Ordinal)),
                what: "the live event after the replay");
            var events = all.Where(m => m.Topic == Topics.Events(Site)).Select(m => JsonSerializer.Deserialize(m.Payload, ContractsJsonContext.Default.AgentEvent)!).ToList();
            var probes = events.Where(e => e.Type == EventTypes.ProbeAnswered).ToList();
            Assert.Equal(1000, probes.Count);
            Assert.Equal(1000, probes.Select(e => e.Id).Distinct().Count());
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), probes.Select(e => e.Detail));
            Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), probes.Select(e => e.Seq));
            Assert.All(probes, e => Assert.True(e.Historical));
            // The first run's clean stop was spooled too, then seq continues across the restart.
            var stopping = Assert.Single(events, e => e.Type == EventTypes.AgentStopping);
            Assert.Equal(1001, stopping.Seq);
            var live = events.Last();
            Assert.Equal(1002, live.Seq);
            Assert.False(live.Historical);
            Assert.Equal(2, second.Publisher.BdSeq);
        }
    }

    [Fact]
    public async Task CleanStop_PublishesAgentStopping_ThenTheOfflineState()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path));
        await agent.Log.WaitForAsync("birth published");

        await agent.DisposeAsync();

        var all = broker.Published;
        var stopping = all.ToList().FindIndex(m => IsEvent(m, EventTypes.AgentStopping));
        var offline = all.ToList().FindLastIndex(m => m.Topic == Topics.State(Site));
        Assert.True(stopping >= 0, "agent.stopping published");
        Assert.True(offline > stopping, "offline state after agent.stopping");
        var state = all[offline];
        Assert.True(state.Retain);
        Assert.False(state.Json.GetProperty("online").GetBoolean());
        Assert.Equal("stopping", state.Json.GetProperty("reason").GetString());
        Assert.Equal(1, state.Json.GetProperty("bdSeq").GetInt64());
    }

    [Fact]
    public async Task Commands_ReplyByResponseTopicWithCorrelationData()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        var leds = new RecordingLedTest();
        await using var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path),
            services => services.AddSingleton<ILedTest>(leds));
        await agent.Log.WaitForAsync("birth published");
        var replies = Topics.Reply(Site, "controller-1");
        await using var controller = await MqttTestClient.ConnectAsync(broker.Port, "controller-1", filters: [replies, Topics.State(Site)]);

        var led = (await controller.RequestAsync(Topics.Command(Site, CommandVerbs.LedTest), replies)).Json;
        Assert.True(led.GetProperty("ok").GetBoolean());
        Assert.Equal(1, leds.Runs);

        var births = controller.Messages.Count(m => m.Topic == Topics.State(Site));
        var rebirth = (await controller.RequestAsync(Topics.Command(Site, CommandVerbs.Rebirth), replies)).Json;
        Assert.True(rebirth.GetProperty("ok").GetBoolean());
        var birth = await controller.WaitForAsync(all => all.Count(m => m.Topic == Topics.State(Site)) > births, what: "a second birth");
        // Sparkplug rebirth: same session, same bdSeq.
        Assert.Equal(1, birth.Last(m => m.Topic == Topics.State(Site)).Json.GetProperty("bdSeq").GetInt64());

        agent.Configuration["Agent:Telemetry:Interval"] = "00:00:07";
        var reload = (await controller.RequestAsync(Topics.Command(Site, CommandVerbs.ReloadConfig), replies)).Json;
        Assert.True(reload.GetProperty("ok").GetBoolean());
        Assert.Contains("00:00:07", reload.GetProperty("message").GetString(), StringComparison.Ordinal);

        var unknown = (await controller.RequestAsync(Topics.Command(Site, "format-disk"), replies)).Json;
        Assert.False(unknown.GetProperty("ok").GetBoolean());

        // No SIP leg in this host: the self-test says so rather than pretending.
        var self = (await controller.RequestAsync(Topics.Command(Site, CommandVerbs.SelfTest), replies)).Json;
        Assert.False(self.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task LedTest_WithoutLeds_RepliesNotOk()
    {
        using var dir = new TempDirectory();
        await using var broker = await EmbeddedBroker.StartAsync();
        await using var agent = await InProcessTelemetryAgent.StartAsync(InProcessTelemetryAgent.Settings(broker.Port, dir.Path));
        await agent.Log.WaitForAsync("birth published");
        var replies = Topics.Reply(Site, "controller-1");
        await using var controller = await MqttTestClient.ConnectAsync(broker.Port, "controller-1", filters: replies);

        var reply = JsonSerializer.Deserialize((await controller.RequestAsync(Topics.Command(Site, CommandVerbs.LedTest), replies)).Payload,
            ContractsJsonContext.Default.CommandReply)!;

        Assert.False(reply.Ok);
        Assert.Equal("no LEDs", reply.Message);
        Assert.Equal(CommandVerbs.LedTest, reply.Verb);
    }

    private static int FreePortForBroker() => FreePort.Next();

    private sealed class RecordingLedTest : ILedTest
    {
        public int Runs { get; private set; }

        public Task RunAsync(CancellationToken cancellationToken)
        {
            Runs++;
            return Task.CompletedTask;
        }
    }
}
