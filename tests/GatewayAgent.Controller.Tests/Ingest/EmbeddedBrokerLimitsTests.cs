using System.Net;
using System.Net.Sockets;
using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// Issue 12 item 8: the embedded broker's limits and authorisation, with real MQTT clients (MQTTnet) and raw sockets over
/// loopback: the packet-size cap, per-source connection and authentication limits (on the fake clock), only the
/// documented topic kinds with retain only on state, the controller account bound to its client id, a revoked site's
/// session closed, and the event payload cap.
/// </summary>
[Trait("Ring", "integration")]
public sealed class EmbeddedBrokerLimitsTests
{
    private static Task<IngestTestHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        IngestTestHost.StartEmbeddedAsync(sites => sites.Add("site-a", "pw-a", 41).Add("site-b", "pw-b", 42), settings);

    private static async Task<Socket> ConnectRawAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>True when the broker closed the connection (end of stream or reset) within the bound; what it sent before is skipped.</summary>
    private static async Task<bool> IsClosedByBrokerAsync(Socket socket)
    {
        using var bound = new CancellationTokenSource(IngestTestHost.Timeout);
        try
        {
            while (await socket.ReceiveAsync(new byte[256], SocketFlags.None, bound.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<MqttClientConnectResultCode> ConnectControllerAccountAsync(IMqttClient client, int port, string clientId)
    {
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCredentials(IngestTestHost.ControllerUser, IngestTestHost.ControllerPassword)
            .Build());
        return result.ResultCode;
    }

    [Fact]
    public async Task A_packet_announcing_more_than_the_cap_closes_the_connection_before_its_body_is_read()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Controller:Mqtt:Limits:MaxPacketBytes"] = "4096" });
        using var socket = await ConnectRawAsync(host.Port);

        // A CONNECT announcing 256 MB: MQTTnet would size its read for it and wait for the body.
        await socket.SendAsync(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F });

        Assert.True(await IsClosedByBrokerAsync(socket));
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.oversized:packet") == 1, "the oversized packet counted");
        Assert.True(host.Logs.Has(6541));
    }

    [Fact]
    public async Task A_site_publishing_over_the_packet_cap_is_disconnected_smaller_publishes_pass()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Controller:Mqtt:Limits:MaxPacketBytes"] = "4096" });
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        Assert.True((await site.PublishTelemetryAsync("mains", "up", 90)).IsSuccess);
        await Assert.ThrowsAnyAsync<Exception>(() => site.PublishRawAsync(Topics.Telemetry("site-a"), new byte[8192]));

        await Wait.PollAsync(() => Task.FromResult(site.IsConnected), connected => !connected, IngestTestHost.Timeout, "site-a disconnected");
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.oversized:packet") == 1, "the oversized packet counted");
    }

    [Fact]
    public async Task New_connections_from_one_source_beyond_its_rate_are_closed_at_accept_until_the_clock_refills_it()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Controller:Mqtt:Limits:ConnectionBurst"] = "3",
            ["Controller:Mqtt:Limits:ConnectionsPerMinute"] = "1",
        });
        var held = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                held.Add(await ConnectRawAsync(host.Port));
            }

            using var fourth = await ConnectRawAsync(host.Port);
            Assert.True(await IsClosedByBrokerAsync(fourth));
            await host.WaitUntilAsync(() => host.Count("gateway.ingest.rejected_connections") == 1, "the fourth connection refused");

            // A minute on the controller's clock gives the source one connection again.
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
            Assert.True(site.IsConnected);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Connections_open_at_once_from_one_source_are_capped_and_a_closed_one_frees_its_slot()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Controller:Mqtt:Limits:MaxConnectionsPerSource"] = "2" });
        await using var siteA = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        var siteB = await SimulatedSite.ConnectAsync(host.Port, "site-b", "pw-b");

        using (var third = await ConnectRawAsync(host.Port))
        {
            Assert.True(await IsClosedByBrokerAsync(third));
        }

        await siteB.DisposeAsync();
        await Wait.PollAsync(
            async () =>
            {
                try
                {
                    await using var again = await SimulatedSite.ConnectAsync(host.Port, "site-b", "pw-b");
                    return true;
                }
                catch (Exception ex) when (ex is not ConnectRefusedException)
                {
                    return false; // the broker has not seen site B's close yet
                }
            },
            ok => ok,
            IngestTestHost.Timeout,
            "site B connects again once its first connection closed");
    }

    [Fact]
    public async Task Failed_authentications_from_one_source_lock_it_out_even_with_the_right_password_until_the_window_ends()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Controller:Mqtt:Limits:FailedAuthLimit"] = "2",
            ["Controller:Mqtt:Limits:FailedAuthWindow"] = "00:05:00",
        });
        for (var i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => SimulatedSite.ConnectAsync(host.Port, "site-a", "guess-" + i));
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused.ResultCode);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a"));
        Assert.Contains(host.Logs.WithEventId(6540), r => r.Message.Contains("failed authentications", StringComparison.Ordinal));

        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        Assert.True(site.IsConnected);
    }

    [Fact]
    public async Task A_site_publishes_only_the_documented_kinds_and_retains_only_its_state()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");

        Assert.True((await site.PublishBirthAsync()).IsSuccess);
        var retainedTelemetry = await site.PublishRawAsync(Topics.Telemetry("site-a"), "{}"u8.ToArray(), retain: true);
        var otherKind = await site.PublishRawAsync("gw/v1/site-a/anything", "{}"u8.ToArray());
        var deeper = await site.PublishRawAsync("gw/v1/site-a/events/extra", "{}"u8.ToArray());
        var replyToNobody = await site.PublishRawAsync("gw/v1/site-a/reply/", "{}"u8.ToArray());
        var reply = await site.PublishRawAsync("gw/v1/site-a/reply/node-1", "{}"u8.ToArray());

        Assert.All(new[] { retainedTelemetry, otherKind, deeper, replyToNobody }, r => Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, r.ReasonCode));
        Assert.True(reply.IsSuccess, reply.ReasonCode.ToString());
        Assert.Equal(4, host.Count("gateway.ingest.acl_violations:publish"));
    }

    [Fact]
    public async Task The_controller_account_is_bound_to_its_client_id_and_cannot_take_over_a_sites_session()
    {
        await using var host = await StartAsync();
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        using var takeover = new MqttClientFactory().CreateMqttClient();
        using var dashboard = new MqttClientFactory().CreateMqttClient();

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await ConnectControllerAccountAsync(takeover, host.Port, "site-a"));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectControllerAccountAsync(dashboard, host.Port, "controller.dashboard"));

        // Site A's session is still its own: its telemetry is ingested.
        await site.PublishTelemetryAsync("mains", "up", 80);
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.messages:telemetry") == 1, "A's telemetry ingested");
        Assert.True(site.IsConnected);
    }

    [Fact]
    public async Task No_site_may_use_the_controllers_client_id()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Controller:Mqtt:ControllerClientId"] = "site-b" });

        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => SimulatedSite.ConnectAsync(host.Port, "site-b", "pw-b"));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, refused.ResultCode);
    }

    [Fact]
    public async Task A_revoked_sites_live_session_is_closed_and_other_sites_stay()
    {
        await using var host = await StartAsync();
        await using var siteA = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        await using var siteB = await SimulatedSite.ConnectAsync(host.Port, "site-b", "pw-b");

        host.Services.GetRequiredService<SiteSessionRevocations>().Revoke("site-a");

        await Wait.PollAsync(() => Task.FromResult(siteA.IsConnected), connected => !connected, IngestTestHost.Timeout, "site-a disconnected");
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.sessions_revoked") == 1, "the revocation counted");
        Assert.True(siteB.IsConnected);
    }

    [Fact]
    public async Task An_event_over_the_payload_cap_is_refused_and_not_stored_a_small_one_is()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Controller:Mqtt:Limits:MaxEventPayloadBytes"] = "512" });
        await using var site = await SimulatedSite.ConnectAsync(host.Port, "site-a", "pw-a");
        var now = host.Clock.GetUtcNow();

        var big = await site.PublishEventAsync(SimulatedSite.Event("big", 1, EventTypes.PowerLost, now) with { Detail = new string('x', 1000) });
        var small = await site.PublishEventAsync(SimulatedSite.Event("small", 2, EventTypes.PowerLost, now));

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, big.ReasonCode);
        Assert.True(small.IsSuccess, small.ReasonCode.ToString());
        await host.WaitUntilAsync(() => host.EventLog.Count == 1, "the small event stored");
        Assert.Equal(1, host.Count("gateway.ingest.oversized:event"));
    }
}
