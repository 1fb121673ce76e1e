using System.Text;
using System.Text.Json;
using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>Telemetry ingest through the embedded MQTTnet broker, with real MQTT clients over loopback TCP.</summary>
[Trait("Ring", "integration")]
public sealed class EmbeddedBrokerIngestTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = IngestTestHost.Timeout;

    private static Task<IngestTestHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        IngestTestHost.StartEmbeddedAsync(sites => sites.Add("site-a", "pw-a", 41).Add("site-b", "pw-b", 42).Add("site-nocontract", "pw-n", null), settings);

    [Fact]
    public async Task Wrong_password_is_refused_and_the_right_one_accepted()
    {
        await using var host = await StartAsync();

        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => SimulatedSite.ConnectAsync(host.Port, "site-a", "wrong"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused.ResultCode);

        var unknown = await Assert.ThrowsAsync<ConnectRefusedException>(() => SimulatedSite.ConnectAsync(host.Port, "site-zz", "pw-a"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, unknown.ResultCode);

        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        Assert.Equal(2, host.Count("gateway.ingest.rejected_connections"));
    }

    [Fact]
    public async Task A_site_may_not_use_another_client_id()
    {
        await using var host = await StartAsync();

        // Client id "site-b" would take over site B's session; the broker refuses it even with A's valid password.
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", clientId: "site-b"));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, refused.ResultCode);
    }

    [Fact]
    public async Task Publishing_into_another_sites_tree_is_dropped_and_logged_once_per_interval()
    {
        await using var host = await StartAsync();
        await using var watcher = await ControllerWatcher.ConnectAsync(host.Port, "gw/v1/#");
        await using var siteA = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        var forged = SimulatedSite.Event("forged-1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow());
        var result = await siteA.PublishEventAsync(forged, siteTopic: "site-b");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        await siteA.PublishEventAsync(forged with { Id = "forged-2" }, siteTopic: "site-b");
        var ownCommand = await siteA.PublishRawAsync(Topics.Command("site-a", CommandVerbs.Rebirth), "{}"u8.ToArray());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ownCommand.ReasonCode);

        await siteA.PublishTelemetryAsync("mains", "up", 90);

        // The next (and only) message anyone sees is A's own telemetry: the forged events never left the broker.
        var seen = await watcher.NextAsync(Wait);
        Assert.Equal(Topics.Telemetry("site-a"), seen.Topic);
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:telemetry") == 1, "A's telemetry is ingested");
        Assert.Equal(0, host.EventLog.Count);
        Assert.Null(host.Status.Get("site-b"));
        Assert.False(host.FastProbing.TryTake(out _));
        Assert.Equal(3, host.Count("gateway.ingest.acl_violations:publish"));
        Assert.Single(host.Logs.Records, e => e.Id.Id == 6503);
    }

    [Fact]
    public async Task A_site_subscribes_only_to_its_own_commands_and_contract()
    {
        await using var host = await StartAsync();
        await using var siteA = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await siteA.SubscribeAsync(Topics.CommandFilter("site-b")));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await siteA.SubscribeAsync("gw/v1/+/cmd/#"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await siteA.SubscribeAsync("gw/v1/site-b/telemetry"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await siteA.SubscribeAsync("#"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await siteA.SubscribeAsync(Topics.ContractState(42)));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await siteA.SubscribeAsync(Topics.CommandFilter("site-a")));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await siteA.SubscribeAsync("gw/v1/site-a/cmd/#"));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await siteA.SubscribeAsync(Topics.ContractState(41)));
        Assert.Equal(5, host.Count("gateway.ingest.acl_violations:subscribe"));
    }

    [Fact]
    public async Task Birth_marks_online_and_a_lost_connection_publishes_the_will_offline_and_triggers_fast_probing()
    {
        await using var host = await StartAsync();
        await using var relay = new TcpRelay(host.Port);
        await using var site = await SimulatedSite.ConnectAsync(relay.Port, "site-a", "pw-a", bdSeq: 7);

        await site.PublishBirthAsync("2.0.1");
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:state") == 1, "the birth is ingested");
        Assert.True(host.Status.Get("site-a")!.Online);
        Assert.Equal("2.0.1", host.Status.Get("site-a")!.Version);

        await relay.KillAsync();

        var trigger = await host.FastProbing.NextAsync(Wait);
        Assert.Equal((41L, "offline"), trigger);
        Assert.False(host.Status.Get("site-a")!.Online);
    }

    [Fact]
    public async Task A_clean_stop_goes_offline_without_a_trigger()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        await site.PublishBirthAsync();
        await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == true, "site-a is online");

        await PublishStateAsync(site, new AgentState { Online = false, BdSeq = 1, Reason = "stopping" });
        await site.DisconnectCleanlyAsync();
        await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == false, "site-a is offline");

        // A later live event proves the worker went past the offline state without triggering anything for it.
        await using var again = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 2);
        await again.PublishEventAsync(SimulatedSite.Event("w1", 1, EventTypes.WanDown, host.Clock.GetUtcNow()));
        Assert.Equal((41L, EventTypes.WanDown), await host.FastProbing.NextAsync(Wait));
    }

    [Fact]
    public async Task A_stale_will_of_an_older_session_does_not_mark_the_reborn_site_offline()
    {
        await using var host = await StartAsync();
        await using var watcher = await ControllerWatcher.ConnectAsync(host.Port, "ctl/v1/none");
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 5);
        await site.PublishBirthAsync();
        await PublishStateAsync(site, new AgentState { Online = false, BdSeq = 4, Reason = "will" });
        await site.PublishTelemetryAsync("mains", "up", 80);

        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:telemetry") == 1, "the telemetry behind the stale will is ingested");
        Assert.True(host.Status.Get("site-a")!.Online);
        Assert.False(host.FastProbing.TryTake(out _));
        Assert.Contains(host.Logs.Records, e => e.Id.Id == 6512);
    }

    [Fact]
    public async Task Telemetry_updates_power_battery_wan_and_last_seen()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        await site.PublishBirthAsync("3.1.4");
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        await site.PublishTelemetryAsync("battery", "down", 63.5);

        await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Power == "battery", "the telemetry is applied");
        var status = host.Status.Get("site-a")!;
        Assert.True(status.Online);
        Assert.Equal(63.5, status.BatteryPercent);
        Assert.Equal("down", status.Wan);
        Assert.Equal("3.1.4", status.Version);
        Assert.Equal(host.Clock.GetUtcNow(), status.LastSeen);
        Assert.Single(host.Status.All());
        Assert.Equal(1, host.Services.GetRequiredService<SiteLiveStatusRegistry>().OnlineCount());
    }

    [Fact]
    public async Task Power_lost_triggers_fast_probing_of_the_sites_contract()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-b", "pw-b");

        await site.PublishEventAsync(SimulatedSite.Event("p1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow()));

        Assert.Equal((42L, EventTypes.PowerLost), await host.FastProbing.NextAsync(Wait));
        Assert.Equal("battery", host.Status.Get("site-b")!.Power);
        Assert.True(host.EventLog.Contains("p1"));
    }

    [Fact]
    public async Task Historical_events_are_stored_but_only_recent_ones_trigger()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        var now = host.Clock.GetUtcNow();

        await site.PublishEventAsync(SimulatedSite.Event("old", 1, EventTypes.PowerLost, now - TimeSpan.FromMinutes(5), historical: true));
        await site.PublishEventAsync(SimulatedSite.Event("recent", 2, EventTypes.WanDown, now - TimeSpan.FromSeconds(20), historical: true));

        // The first trigger is the recent one: the five-minute-old power loss was stored without probing.
        Assert.Equal((41L, EventTypes.WanDown), await host.FastProbing.NextAsync(Wait));
        Assert.True(host.EventLog.Contains("old"));
        Assert.True(host.EventLog.Contains("recent"));
        Assert.False(host.FastProbing.TryTake(out _));
    }

    [Fact]
    public async Task A_site_without_a_contract_is_ingested_but_triggers_nothing()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-nocontract", "pw-n");
        await site.PublishEventAsync(SimulatedSite.Event("n1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow()));

        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:events") == 1, "the event is ingested");
        Assert.True(host.EventLog.Contains("n1"));
        Assert.False(host.FastProbing.TryTake(out _));
        Assert.Contains(host.Logs.Records, e => e.Id.Id == 6518);
    }

    [Fact]
    public async Task A_duplicate_event_id_is_ingested_once()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        var powerLost = SimulatedSite.Event("dup-1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow());

        await site.PublishEventAsync(powerLost);
        await site.PublishEventAsync(powerLost);
        await site.PublishEventAsync(SimulatedSite.Event("after", 2, EventTypes.ProbeAnswered, host.Clock.GetUtcNow()));

        await host.WaitUntilAsync(() => host.EventLog.Contains("after"), "the event after the duplicate is stored");
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:events") == 3, "all three deliveries are processed");
        Assert.Equal(2, host.EventLog.Count);
        Assert.Equal(2, host.Count("gateway.ingest.events"));
        Assert.Equal(1, host.Count("gateway.ingest.duplicates"));
        Assert.Equal((41L, EventTypes.PowerLost), await host.FastProbing.NextAsync(Wait));
        Assert.False(host.FastProbing.TryTake(out _));
    }

    /// <summary>
    /// The delivery contract (docs/ingest.md): an agent that disconnects right after publishing. Every QoS 1 event whose
    /// PUBACK it got is ingested exactly once — the broker acknowledges an event only after it is stored (issue 12 item 9),
    /// and the queue (full here: one worker, 16 places) never drops. QoS 0 snapshots sent before an acknowledged event
    /// are in too (one connection is processed in order); the QoS 0 snapshots after the last event may be lost when the
    /// connection goes (best effort, superseded by the next snapshot).
    /// </summary>
    [Fact]
    public async Task Qos1_events_acknowledged_before_a_disconnect_are_ingested_exactly_once_qos0_snapshots_after_them_are_best_effort()
    {
        const int Events = 300;
        const int SnapshotsPerEvent = 4;
        const int TailSnapshots = 400;
        const int Window = 64;
        var settings = new Dictionary<string, string?> { ["Controller:Ingest:Workers"] = "1", ["Controller:Ingest:QueueCapacity"] = "16" };
        await using var host = await StartAsync(settings);
        var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        var acknowledged = new List<Task<MqttClientPublishResult>>();
        var inFlight = new Queue<Task<MqttClientPublishResult>>();
        for (var seq = 1; seq <= Events; seq++)
        {
            for (var i = 0; i < SnapshotsPerEvent; i++)
            {
                await site.PublishTelemetryAsync("mains", "up", 90, MqttQualityOfServiceLevel.AtMostOnce);
            }

            if (inFlight.Count == Window)
            {
                await inFlight.Dequeue();
            }

            var publish = site.PublishEventAsync(SimulatedSite.Event($"e{seq}", seq, EventTypes.ProbeAnswered, host.Clock.GetUtcNow()));
            inFlight.Enqueue(publish);
            acknowledged.Add(publish);
        }

        Assert.All(await Task.WhenAll(acknowledged), r => Assert.True(r.IsSuccess, r.ReasonCode.ToString()));
        for (var i = 0; i < TailSnapshots; i++)
        {
            await site.PublishTelemetryAsync("battery", "up", 80, MqttQualityOfServiceLevel.AtMostOnce);
        }

        await site.DisconnectCleanlyAsync();
        await site.DisposeAsync();

        // The site comes back (taking over its session if the broker still holds the old connection) and sends a marker
        // event: the one worker applies the site's messages in order, so once the marker is in, the counts are final.
        await using var again = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 2);
        await again.PublishEventAsync(SimulatedSite.Event("marker", 1, EventTypes.ProbeAnswered, host.Clock.GetUtcNow()));
        await host.WaitUntilAsync(() => host.EventLog.Contains("marker"), "the marker event is stored");

        Assert.Equal(Events + 1, host.EventLog.Count);
        Assert.All(Enumerable.Range(1, Events), seq => Assert.True(host.EventLog.Contains($"e{seq}"), $"event e{seq} was lost"));
        Assert.Equal(0, host.Count("gateway.ingest.duplicates"));
        var snapshots = host.Count("gateway.ingest.messages:telemetry");
        output.WriteLine($"QoS 0 snapshots ingested: {snapshots} of {Events * SnapshotsPerEvent} before the last event + {TailSnapshots} after it");
        Assert.InRange(snapshots, Events * SnapshotsPerEvent, (Events * SnapshotsPerEvent) + TailSnapshots);
    }

    [Fact]
    public async Task A_seq_gap_asks_the_site_for_a_rebirth_once_per_cooldown()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await site.SubscribeAsync(Topics.CommandFilter("site-a")));
        await site.PublishBirthAsync();
        var now = host.Clock.GetUtcNow();
        foreach (var seq in new long[] { 10, 11, 12 })
        {
            await site.PublishEventAsync(SimulatedSite.Event($"e{seq}", seq, EventTypes.ProbeAnswered, now));
        }

        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:events") == 3, "the contiguous events are processed");
        Assert.Equal(0, host.Count("gateway.ingest.seq_gaps"));
        Assert.Equal(12, host.Status.Get("site-a")!.LastSeq);

        await site.PublishEventAsync(SimulatedSite.Event("e15", 15, EventTypes.ProbeAnswered, now));

        var rebirth = await site.NextMessageAsync(Wait);
        Assert.Equal(Topics.Command("site-a", CommandVerbs.Rebirth), rebirth.Topic);
        Assert.StartsWith("gw/v1/site-a/reply/", rebirth.ResponseTopic, StringComparison.Ordinal);
        Assert.NotNull(rebirth.CorrelationData);
        Assert.Equal(1, host.Count("gateway.ingest.seq_gaps"));

        // A second gap inside the cooldown is counted but not asked again; after the cooldown it is.
        // The gap counter moves before the cooldown is checked, so the clock may only move once e20 is fully
        // handled (the messages counter moves after a message's handling): advancing it earlier let e20 itself ask.
        await site.PublishEventAsync(SimulatedSite.Event("e20", 20, EventTypes.ProbeAnswered, now));
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:events") == 5, "the second gap is handled");
        Assert.Equal(2, host.Count("gateway.ingest.seq_gaps"));
        host.Clock.Advance(TimeSpan.FromSeconds(31));
        await site.PublishEventAsync(SimulatedSite.Event("e30", 30, EventTypes.ProbeAnswered, now));
        var second = await site.NextMessageAsync(Wait);
        Assert.Equal(Topics.Command("site-a", CommandVerbs.Rebirth), second.Topic);
        Assert.Equal(3, host.Count("gateway.ingest.seq_gaps"));
        Assert.False(site.Received.TryRead(out _));
    }

    [Fact]
    public async Task A_new_birth_starts_a_new_seq_baseline_and_historical_events_never_count_as_gaps()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        await site.SubscribeAsync(Topics.CommandFilter("site-a"));
        await site.PublishBirthAsync();
        var now = host.Clock.GetUtcNow();
        await site.PublishEventAsync(SimulatedSite.Event("a1", 1, EventTypes.ProbeAnswered, now));
        await site.PublishEventAsync(SimulatedSite.Event("h9", 9, EventTypes.ProbeAnswered, now, historical: true));
        await site.PublishBirthAsync();
        await site.PublishEventAsync(SimulatedSite.Event("a50", 50, EventTypes.ProbeAnswered, now));

        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:events") == 3, "the events are processed");
        Assert.Equal(0, host.Count("gateway.ingest.seq_gaps"));
        Assert.False(site.Received.TryRead(out _));
    }

    [Fact]
    public async Task Contract_state_is_published_retained_for_late_subscribers()
    {
        await using var host = await StartAsync();
        var publisher = host.Services.GetRequiredService<IContractStatePublisher>();
        var state = new ContractState
        {
            ContractId = 41,
            ContractNumber = "0312345678",
            Detector = "failed",
            Forwarding = true,
            ForwardingSince = host.Clock.GetUtcNow(),
            ForwardingReason = "auto-start",
            Ts = host.Clock.GetUtcNow(),
        };

        await publisher.PublishAsync(state, CancellationToken.None);

        await using var late = await ControllerWatcher.ConnectAsync(host.Port, Topics.ContractState(41));
        var seen = await late.NextAsync(Wait);
        Assert.True(seen.Retain);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, seen.QualityOfServiceLevel);
        Assert.Equal(state, JsonSerializer.Deserialize(System.Buffers.BuffersExtensions.ToArray(seen.Payload), ContractsJsonContext.Default.ContractState));

        // The site serving contract 41 may read it too.
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        await site.SubscribeAsync(Topics.ContractState(41));
        Assert.Equal(Topics.ContractState(41), (await site.NextMessageAsync(Wait)).Topic);
    }

    [Fact]
    public async Task A_command_is_answered_through_the_response_topic()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-b", "pw-b");
        await site.SubscribeAsync(Topics.CommandFilter("site-b"));
        var commander = host.Services.GetRequiredService<ISiteCommander>();

        var reply = await commander.SendAsync("site-b", CommandVerbs.SelfTest, Wait, CancellationToken.None);

        Assert.True(reply.Ok);
        Assert.Equal(CommandVerbs.SelfTest, reply.Verb);
        Assert.Equal("site-b did self-test", reply.Message);
    }

    [Fact]
    public async Task A_command_to_a_silent_site_times_out_on_the_injected_clock()
    {
        await using var host = await StartAsync();
        var commander = host.Services.GetRequiredService<ISiteCommander>();

        var timers = host.Clock.TimersCreated;
        var pending = commander.SendAsync("site-a", CommandVerbs.LedTest, TimeSpan.FromSeconds(10), CancellationToken.None);
        await host.Clock.WaitForTimersAsync(timers + 1, Wait); // the wait for the reply is on the clock (advancing before would be lost)
        Assert.False(pending.IsCompleted);
        host.Clock.Advance(TimeSpan.FromSeconds(11));

        Assert.Same(pending, await Task.WhenAny(pending, Task.Delay(Wait))); // a bound for a broken test only
        await Assert.ThrowsAsync<TimeoutException>(() => pending);
    }

    [Fact]
    public async Task Malformed_payloads_are_counted_and_dropped()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        await PublishRawAsync(site, Topics.Events("site-a"), "{not json");
        await PublishRawAsync(site, Topics.Telemetry("site-a"), "[1,2]");
        await site.PublishEventAsync(SimulatedSite.Event("good", 1, EventTypes.ProbeAnswered, host.Clock.GetUtcNow()));

        await host.WaitUntilAsync(() => host.EventLog.Contains("good"), "the valid event behind the malformed ones is stored");
        Assert.Equal(1, host.Count("gateway.ingest.malformed:events"));
        Assert.Equal(1, host.Count("gateway.ingest.malformed:telemetry"));
        Assert.Equal(1, host.EventLog.Count);
    }

    private static Task PublishStateAsync(SimulatedSite site, AgentState state) =>
        PublishRawAsync(site, Topics.State(site.SiteId), JsonSerializer.Serialize(state, ContractsJsonContext.Default.AgentState));

    /// <summary>
    /// Issue 14: the agent keeps an event whose PUBACK says 0x10 NoMatchingSubscribers and sends it again. The embedded
    /// broker has no subscriber for events (the controller takes them in its publish interceptor), and MQTTnet would
    /// answer 0x10 for every one; it must answer Success once the event is stored, or every agent's spool would grow
    /// forever.
    /// </summary>
    [Fact]
    public async Task An_event_the_controller_stored_is_acknowledged_with_success_not_no_matching_subscribers()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        var result = await site.PublishEventAsync(SimulatedSite.Event("routed-1", 1, EventTypes.PowerLost, host.Clock.GetUtcNow()));

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.True(host.EventLog.Contains("routed-1"));
        Assert.Equal((41L, EventTypes.PowerLost), await host.FastProbing.NextAsync(Wait));
        // Only events are answered this way: a snapshot nobody subscribes to keeps MQTTnet's 0x10 (the agent does not spool snapshots).
        var telemetry = await site.PublishTelemetryAsync("mains", "up", 90);
        Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, telemetry.ReasonCode);
    }

    private static Task PublishRawAsync(SimulatedSite site, string topic, string payload) =>
        site.PublishRawAsync(topic, Encoding.UTF8.GetBytes(payload));
}
