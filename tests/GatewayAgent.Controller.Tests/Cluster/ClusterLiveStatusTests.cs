using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayAgent.Controller.Tests.Api;
using GatewayAgent.Controller.Tests.Ingest;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>
/// Issue 14, "any node serves the API": a site's live status is known to every controller node, not only to the node
/// whose ingest received the site's messages (with shared subscriptions that is any node). The real host, twice on one
/// PostgreSQL database, each node with its own embedded broker; the site talks to node A only.
/// </summary>
[Trait("Ring", "integration")]
[Collection(StorageCollection.Name)]
public sealed class ClusterLiveStatusTests(ControllerApiFactory factory, PostgresCluster cluster) : IClassFixture<ControllerApiFactory>
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_sites_telemetry_ingested_by_one_node_is_live_in_another_nodes_api_and_after_that_node_is_gone(string backend)
    {
        var connection = backend == Storage.Backends.Postgres ? await cluster.CreateDatabaseAsync() : null;
        var mqttPort = FreePort.Next();
        await using var nodeA = Node(connection, "live-a", mqttPort);
        using var clientA = Client(nodeA);
        var created = await clientA.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), ContractSamples.Monitored("07401"));
        var contract = (await created.Content.ReadFromJsonAsync<ContractRecord>())!;
        var status = new Uri($"/api/contracts/{contract.Id}/status", UriKind.Relative);
        using var writes = new LiveWrites(nodeA);

        await using (var site = await SimulatedSite.ConnectAsync(mqttPort, "site-07401", "site-password-1"))
        {
            await site.PublishTelemetryAsync("battery", "down", 42);
            await writes.Changes.UntilAsync(() => writes.Rows >= 1, "node A wrote the site's live status");
        }

        var expected = new SiteLiveStatus
        {
            SiteId = "site-07401", Online = true, Power = "battery", BatteryPercent = 42, Wan = "down", LastSeen = factory.Time.GetUtcNow(),
        };
        Assert.Equal(expected, await LiveAsync(clientA, status));
        if (connection is not null)
        {
            // Node B never heard from the site (SQLite is one node: no second node there).
            await using var nodeB = Node(connection, "live-b", FreePort.Next());
            using var clientB = Client(nodeB);
            Assert.Equal(expected, await LiveAsync(clientB, status));
        }

        await nodeA.DisposeAsync();

        // A node started after node A is gone (or node A restarted).
        await using var nodeC = Node(connection, "live-c", FreePort.Next());
        using var clientC = Client(nodeC);
        Assert.Equal(expected, await LiveAsync(clientC, status));
    }

    private static async Task<SiteLiveStatus?> LiveAsync(HttpClient client, Uri status)
    {
        var body = await client.GetFromJsonAsync<JsonElement>(status);
        return body.GetProperty("live").Deserialize<SiteLiveStatus>(JsonSerializerOptions.Web);
    }

    private static HttpClient Client(WebApplicationFactory<Program> node)
    {
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ControllerApiFactory.ApiKey);
        client.DefaultRequestHeaders.Add("X-Operator", "tester");
        return client;
    }

    private WebApplicationFactory<Program> Node(string? connection, string nodeId, int mqttPort) => factory.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Controller:Mqtt:Listen", $"127.0.0.1:{mqttPort}");
        builder.UseSetting("Controller:Cluster:NodeId", nodeId);
        builder.UseSetting("Controller:Cluster:Shards", "8");
        if (connection is not null)
        {
            builder.UseSetting("Controller:Storage:Provider", "postgres");
            builder.UseSetting("ConnectionStrings:Controller", connection);
        }
    });

    /// <summary>Rows a node's live-status writer wrote (gateway.ingest.live_status_writes), announced as they are counted.</summary>
    private sealed class LiveWrites : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _rows;

        public LiveWrites(WebApplicationFactory<Program> node)
        {
            var meterFactory = node.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "gateway.ingest.live_status_writes" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
            {
                Interlocked.Add(ref _rows, value);
                Changes.Notify();
            });
            _listener.Start();
        }

        public Changes Changes { get; } = new();

        public long Rows => Interlocked.Read(ref _rows);

        public void Dispose() => _listener.Dispose();
    }
}
