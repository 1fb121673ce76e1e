using GatewayAgent.Controller.Routing;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>How a node that fell behind catches up: the queued steps become one (docs/routing.md, "Storms").</summary>
[Trait("Ring", "unit")]
public sealed class EdgeNodeWorkerTests
{
    private static EdgeOperation Set(EdgeTable table, string key, string value) => new(table, key, value);

    [Fact]
    public void Coalesce_OneSmallStep_IsKeptAsItIs()
    {
        var step = new EdgeWork([Set(EdgeTable.Contracts, "1", "1|2|0|s1|")]);

        Assert.Same(step, Assert.Single(EdgeNodeWorker.Coalesce([step], reloadThreshold: 200)));
    }

    [Fact]
    public void Coalesce_KeepsTheNewestValueOfAKey_AndDeletesLast()
    {
        var steps = EdgeNodeWorker.Coalesce(
            [
                new EdgeWork([Set(EdgeTable.Contracts, "1", "1|2|0|s1|"), Set(EdgeTable.Numbers, "0311110001", "1||0")]),
                new EdgeWork([Set(EdgeTable.Contracts, "1", "0|2|0|s1|"), new EdgeOperation(EdgeTable.Numbers, "0311110001", null)]),
            ],
            reloadThreshold: 200);

        var keys = Assert.Single(steps);
        Assert.Null(keys.Reload);
        Assert.Equal(2, keys.Operations.Count);
        Assert.Contains(Set(EdgeTable.Contracts, "1", "0|2|0|s1|"), keys.Operations);
        Assert.Contains(new EdgeOperation(EdgeTable.Numbers, "0311110001", null), keys.Operations);
    }

    [Fact]
    public void Coalesce_ATableWithMoreKeysThanTheThreshold_IsReloaded_AndTheOtherTablesKeepTheirKeys()
    {
        // A storm: 300 switches queued in many small steps while the node was busy become one reload of ctr.
        var queued = Enumerable.Range(1, 300)
            .Select(i => new EdgeWork([Set(EdgeTable.Contracts, i.ToString(System.Globalization.CultureInfo.InvariantCulture), "1|2|0||")]))
            .Append(new EdgeWork([Set(EdgeTable.Numbers, "0311110001", "1|09012345678|0")]))
            .ToList();

        var steps = EdgeNodeWorker.Coalesce(queued, reloadThreshold: 200);

        Assert.Equal(2, steps.Count);
        Assert.Equal(EdgeTable.Contracts, steps[0].Reload);
        Assert.Empty(steps[0].Operations);
        Assert.Equal([Set(EdgeTable.Numbers, "0311110001", "1|09012345678|0")], steps[1].Operations);
    }

    [Fact]
    public void Coalesce_AQueuedReload_MakesEveryQueuedKeyOfItsTableRedundant()
    {
        // The reload reads the database when it runs, after every queued step was read from it.
        var steps = EdgeNodeWorker.Coalesce(
            [
                new EdgeWork([Set(EdgeTable.Contracts, "1", "1|2|0|s1|")]),
                new EdgeWork([], EdgeTable.Contracts),
                new EdgeWork([Set(EdgeTable.Contracts, "2", "1|2|0|s2|")]),
            ],
            reloadThreshold: 200);

        var reload = Assert.Single(steps);
        Assert.Equal(EdgeTable.Contracts, reload.Reload);
        Assert.Empty(reload.Operations);
    }

    [Fact]
    public void Phases_SetContractsBeforeTheirNumbers_AndDeleteContractsAfterThem()
    {
        // A new contract's number must not reach the edge before its contract (a call in between got 404), and a
        // deleted contract's entry must outlive its numbers.
        var phases = EdgeNodeWorker.Phases(
        [
            Set(EdgeTable.Numbers, "0311110001", "1||0"),
            new EdgeOperation(EdgeTable.Contracts, "2", null),
            Set(EdgeTable.Contracts, "1", "0|2|0|s1|"),
            new EdgeOperation(EdgeTable.Numbers, "0322220001", null),
            Set(EdgeTable.Subscribers, "s1", "ha1"),
        ]).ToList();

        Assert.Equal(3, phases.Count);
        Assert.Equal([Set(EdgeTable.Contracts, "1", "0|2|0|s1|"), Set(EdgeTable.Subscribers, "s1", "ha1")], phases[0]);
        Assert.All(phases[1], o => Assert.Equal(EdgeTable.Numbers, o.Table));
        Assert.Equal([new EdgeOperation(EdgeTable.Contracts, "2", null)], phases[2]);
    }
}
