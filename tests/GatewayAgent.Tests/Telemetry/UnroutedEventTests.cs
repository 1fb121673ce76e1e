using GatewayAgent.Contracts;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// Issue 14 (bench/RESULTS.md section 11 b), with Debian's mosquitto: an event published while the controller's shared
/// subscription has no member is acknowledged with 0x10 NoMatchingSubscribers and dropped by mosquitto. The agent keeps
/// it in its spool and sends it again, so it reaches the controller once the controller subscribes.
/// </summary>
[Trait("Ring", "integration")]
public sealed class UnroutedEventTests
{
    private const string Site = "site-a";

    [Fact]
    public async Task An_event_published_before_the_controller_subscribes_reaches_it_once_it_subscribes()
    {
        using var dir = new TempDirectory();
        await using var broker = await TelemetryBroker.StartAsync(Site);
        var settings = InProcessTelemetryAgent.Settings(broker.Port, dir.Path, Site);
        settings["Agent:Mqtt:Username"] = Site;
        settings["Agent:Mqtt:Password"] = TelemetryBroker.Password;
        await using var agent = await InProcessTelemetryAgent.StartAsync(settings);
        await agent.Log.WaitForAsync("birth published");

        agent.Hub.Raise(EventTypes.PowerLost, "power-good low");
        await agent.Log.WaitForAsync("reached no subscriber");
        Assert.Equal(1, agent.Publisher.Spool!.Depth);

        // The controller's subscription as in external mode: a shared group over every site's events.
        await using var controller = await MqttTestClient.ConnectAsync(broker.Port, "controller", TelemetryBroker.ControllerUser, TelemetryBroker.Password,
            filters: "$share/controllers/" + Topics.AgentRoot + "/+/events");
        var delivered = await controller.WaitForAsync(m => m.Topic == Topics.Events(Site), "power.lost, sent again");
        Assert.Equal(EventTypes.PowerLost, delivered.Json.GetProperty("type").GetString());
        Assert.Equal(1, delivered.Json.GetProperty("seq").GetInt64());
        await agent.Log.WaitForAsync("events reach a subscriber again");
        Assert.Equal(0, agent.Publisher.Spool.Depth);
        Assert.Single(controller.Messages, m => m.Topic == Topics.Events(Site));
    }
}
