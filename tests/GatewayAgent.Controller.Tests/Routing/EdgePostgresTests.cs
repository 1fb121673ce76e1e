using System.Globalization;
using GatewayAgent.Controller.Routing;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>
/// Several edge nodes on one PostgreSQL (docs/routing.md, "Deploying the edge"): each loads the views from the shared
/// database (WITH_POSTGRES), the controller pushes every change to all of them, and calls follow the switch (BF-1,
/// BF-3) on every node.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class EdgePostgresTests(PostgresCluster cluster)
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
}
