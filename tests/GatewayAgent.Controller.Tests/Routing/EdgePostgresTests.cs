using System.Globalization;
using System.Net.Http.Json;
using GatewayAgent.Controller.Routing;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>
/// Several edge nodes on one PostgreSQL (docs/routing.md, "Deploying the edge"): each loads the views from the shared
/// database (WITH_POSTGRES), the controller pushes every change to all of them, and calls follow the switch (BF-1,
/// BF-3) on every node.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class EdgePostgresTests(PostgresCluster cluster, Xunit.Abstractions.ITestOutputHelper output)
{
    [PostgresFact]
    public async Task TwoEdgeNodesOnOnePostgres_BothFollowTheSwitch_AndARestartedNodeLoadsTheSharedTables()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var lab = await EdgeLab.StartAsync(postgres: database, moreNodes: 1);
        var second = lab.MoreNodes[0];
        var contract = await lab.CreateContractAsync();
        await lab.WaitForEdgeAsync(EdgeTable.Numbers, EdgeLab.ContractNumber, v => v is not null, node: second);

        Assert.Equal("site", (await lab.Caller.CallAsync(second.Port, EdgeLab.ContractNumber)).AnsweredBy);
        await lab.SwitchAsync(contract.Id, on: true);
        await lab.WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(CultureInfo.InvariantCulture), v => v?.StartsWith("1|", StringComparison.Ordinal) == true, node: second);

        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
        Assert.Equal("destination", (await lab.Caller.CallAsync(second.Port, EdgeLab.ContractNumber)).AnsweredBy);
        Assert.Equal(486, (await lab.Caller.CallAsync(second.Port, EdgeLab.PlainNumber)).Status);

        // the first node restarts and reads the tables from PostgreSQL at its start
        await lab.RestartEdgeAsync();
        await lab.WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(CultureInfo.InvariantCulture), v => v?.StartsWith("1|", StringComparison.Ordinal) == true);
        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
    }

    /// <summary>
    /// Issue 14, "the push of routing changes to the edge stays correct with N nodes": two controller nodes on one
    /// PostgreSQL and one edge. A switch turned through node B's API reaches the edge by node B's push; a restarted edge
    /// is caught up by every node, each reloading every table once (so N nodes cost N reloads: docs/scale-out.md).
    /// </summary>
    [PostgresFact]
    public async Task TwoControllerNodes_PushWhatEachCommits_AndEachReloadsARestartedEdge()
    {
        var database = await cluster.CreateDatabaseAsync();
        await using var lab = await EdgeLab.StartAsync(postgres: database);
        var contract = await lab.CreateContractAsync();
        await using var nodeB = new EdgeControllerFactory(lab.Edge.RpcUrl, database);
        _ = nodeB.Server;
        var metricsA = lab.Controller!.Services.GetRequiredService<EdgeMetrics>();
        var metricsB = nodeB.Services.GetRequiredService<EdgeMetrics>();
        await lab.WaitInSyncAsync(controller: nodeB); // node B's first reload

        var keysA = metricsA.KeysTotal;
        var keysB = metricsB.KeysTotal;
        using (var apiB = nodeB.CreateOperatorClient())
        {
            var started = await apiB.PostAsJsonAsync($"/api/contracts/{contract.Id}/forwarding/start", new { });
            Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        }

        var id = contract.Id.ToString(CultureInfo.InvariantCulture);
        await lab.WaitForEdgeAsync(EdgeTable.Contracts, id, v => v?.StartsWith("1|", StringComparison.Ordinal) == true);
        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
        Assert.True(metricsB.KeysTotal > keysB, "node B pushed the change it committed");
        Assert.Equal(keysA, metricsA.KeysTotal); // node A did not push node B's change

        var (reloadsA, reloadsB) = (metricsA.ReloadsTotal, metricsB.ReloadsTotal);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await lab.RestartEdgeAsync();
        await Wait.PollAsync(
            () => Task.FromResult((metricsA.ReloadsTotal - reloadsA, metricsB.ReloadsTotal - reloadsB, metricsA.InSync, metricsB.InSync)),
            r => r.Item1 >= EdgeTable.All.Count && r.Item2 >= EdgeTable.All.Count && r.Item3 == 1 && r.Item4 == 1,
            TimeSpan.FromSeconds(30),
            "both nodes reloaded every table of the restarted edge",
            TimeSpan.FromMilliseconds(50));
        output.WriteLine($"edge restart: node A {metricsA.ReloadsTotal - reloadsA} table reloads, node B {metricsB.ReloadsTotal - reloadsB} " +
            $"({EdgeTable.All.Count} tables); both in sync {clock.ElapsedMilliseconds} ms after the restart began");
        Assert.Equal("destination", (await lab.Caller.CallAsync(lab.Edge.Port, EdgeLab.ContractNumber)).AnsweredBy);
    }
}
