using System.Net.Http.Json;
using GatewayAgent.Controller.Cluster;
using GatewayAgent.Controller.Tests.Api;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Cluster;

/// <summary>
/// The real controller host as a cluster node: on PostgreSQL it joins at start and holds every shard (it is alone),
/// and <c>GET /api/cluster</c> shows it; on SQLite it is the one node, not clustered.
/// </summary>
[Trait("Ring", "integration")]
[Collection(StorageCollection.Name)]
public sealed class ClusterApiTests(ControllerApiFactory factory, PostgresCluster cluster) : IClassFixture<ControllerApiFactory>
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_host_joins_at_start_and_the_api_shows_the_nodes_and_their_shards(string backend)
    {
        var connection = backend == Storage.Backends.Postgres ? await cluster.CreateDatabaseAsync() : null;
        await using var host = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Controller:Mqtt:Listen", $"127.0.0.1:{FreePort.Next()}");
            builder.UseSetting("Controller:Cluster:NodeId", "api-node");
            builder.UseSetting("Controller:Cluster:Shards", "32");
            if (connection is not null)
            {
                builder.UseSetting("Controller:Storage:Provider", "postgres");
                builder.UseSetting("ConnectionStrings:Controller", connection);
            }
        });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ControllerApiFactory.ApiKey);

        var view = await client.GetFromJsonAsync<ClusterView>("/api/cluster");

        Assert.NotNull(view);
        Assert.Equal((connection is not null, "api-node", 32, 0), (view.Clustered, view.ServedBy, view.Shards, view.Unowned));
        var node = Assert.Single(view.Nodes);
        Assert.Equal(("api-node", true, true, 32), (node.NodeId, node.Live, node.Healthy, node.Shards));
    }
}
