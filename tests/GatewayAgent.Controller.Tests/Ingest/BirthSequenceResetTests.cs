using System.Text.Json;
using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// Issue 12 item 5: after an offline state or a will, the controller accepts a birth with a lower bdSeq (the agent lost
/// its birth.json: an SD card swapped), so the site is not silenced until the controller restarts. A lower bdSeq while
/// the site is online is still a stale message of an older session.
/// </summary>
[Trait("Ring", "integration")]
public sealed class BirthSequenceResetTests
{
    private static Task<IngestTestHost> StartAsync() =>
        IngestTestHost.StartEmbeddedAsync(sites => sites.Add("site-a", "pw-a", 41));

    [Fact]
    public async Task After_a_will_a_birth_with_a_lower_bdSeq_brings_the_site_online_again()
    {
        await using var host = await StartAsync();
        await using (var relay = new TcpRelay(host.Port))
        {
            await using var old = await SimulatedSite.ConnectAsync(relay.Port, "site-a", "pw-a", bdSeq: 57);
            await old.PublishBirthAsync();
            await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == true, "site-a is online with bdSeq 57");
            await relay.KillAsync(); // the adapter loses power; its SD card is replaced
            await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == false, "the will marks site-a offline");
        }

        await using var fresh = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 1);
        await fresh.PublishBirthAsync("2.0.0");

        await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == true, "the reborn site-a is online");
        Assert.Equal("2.0.0", host.Status.Get("site-a")!.Version);
        Assert.Contains(host.Logs.Records, e => e.Id.Id == 6551);

        // From now on bdSeq 1 is the baseline: an older session's will (bdSeq 57 is not older; 0 is) is stale.
        await fresh.PublishRawAsync(Topics.State("site-a"), JsonSerializer.SerializeToUtf8Bytes(
            new AgentState { Online = false, BdSeq = 0, Reason = "will" }, ContractsJsonContext.Default.AgentState));
        await fresh.PublishTelemetryAsync("mains", "up", 90);
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:telemetry") == 1, "the telemetry behind the stale will is ingested");
        Assert.True(host.Status.Get("site-a")!.Online);
    }

    [Fact]
    public async Task After_a_clean_offline_state_a_lower_bdSeq_birth_is_accepted()
    {
        await using var host = await StartAsync();
        await using (var old = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 9))
        {
            await old.PublishBirthAsync();
            await old.PublishRawAsync(Topics.State("site-a"), JsonSerializer.SerializeToUtf8Bytes(
                new AgentState { Online = false, BdSeq = 9, Reason = "stopping" }, ContractsJsonContext.Default.AgentState));
            await old.DisconnectCleanlyAsync();
        }

        await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == false, "site-a is offline");
        await using var fresh = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a", bdSeq: 1);
        var result = await fresh.PublishBirthAsync();
        Assert.True(result.IsSuccess);
        await host.WaitUntilAsync(() => host.Status.Get("site-a")?.Online == true, "the reborn site-a is online");
    }
}
