using GatewayAgent.Controller.Routing;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>What the pusher sends to bring the edge from the last pushed state to the database's (docs/routing.md).</summary>
[Trait("Ring", "unit")]
public sealed class EdgeMirrorTests
{
    private static EdgeRow Number(string number, long contract, string value) => new(EdgeTable.Numbers, number, value, contract);

    private static EdgeRow Contract(long contract, string value) => new(EdgeTable.Contracts, contract.ToString(System.Globalization.CultureInfo.InvariantCulture), value, contract);

    [Fact]
    public void AFirstLoad_SetsEveryKey()
    {
        var mirror = new EdgeMirror();

        var operations = mirror.ApplyAll([Number("0311110001", 1, "1||0"), Number("0311110002", 1, "1||1"), Contract(1, "0|2|0|s1|")]);

        Assert.Equal(3, operations.Count);
        Assert.All(operations, o => Assert.NotNull(o.Value));
        Assert.Equal(2, mirror.Count(EdgeTable.Numbers));
    }

    [Fact]
    public void ASwitch_PushesOnlyTheChangedKey()
    {
        var mirror = new EdgeMirror();
        mirror.ApplyAll([Number("0311110001", 1, "1|09012345678|0"), Contract(1, "0|2|0|s1|")]);

        var operations = mirror.Apply([1], [Number("0311110001", 1, "1|09012345678|0"), Contract(1, "1|2|0|s1|")]);

        var set = Assert.Single(operations);
        Assert.Equal(new EdgeOperation(EdgeTable.Contracts, "1", "1|2|0|s1|"), set);
    }

    [Fact]
    public void ADeletedContract_DeletesAllItsKeys_AndNoOtherContracts()
    {
        var mirror = new EdgeMirror();
        mirror.ApplyAll([Number("0311110001", 1, "1||0"), Number("0322220001", 2, "2||0"), Contract(1, "0|1|0||"), Contract(2, "0|1|0||"),
            new EdgeRow(EdgeTable.Nuisance, "1:0399990000", "1", 1)]);

        var operations = mirror.Apply([1], []);

        Assert.Equal(3, operations.Count);
        Assert.All(operations, o => Assert.Null(o.Value));
        Assert.Equal("2||0", mirror.Get(EdgeTable.Numbers, "0322220001"));
        Assert.Null(mirror.Get(EdgeTable.Numbers, "0311110001"));
    }

    [Fact]
    public void ANumberMovedBetweenContractsInOneBatch_IsSet_NeverDeleted_InEitherOrder()
    {
        foreach (var order in new long[][] { [1, 2], [2, 1] })
        {
            var mirror = new EdgeMirror();
            mirror.ApplyAll([Number("0311110001", 1, "1||0"), Contract(1, "0|1|0||"), Contract(2, "0|1|0||")]);

            var operations = mirror.Apply(order, [Contract(1, "0|1|0||"), Contract(2, "0|1|0||"), Number("0311110001", 2, "2||0")]);

            Assert.Equal(new EdgeOperation(EdgeTable.Numbers, "0311110001", "2||0"), Assert.Single(operations));
            // later, the old owner changing again does not take the number with it
            Assert.Empty(mirror.Apply([1], [Contract(1, "0|1|0||")]));
            Assert.Equal("2||0", mirror.Get(EdgeTable.Numbers, "0311110001"));
        }
    }

    [Fact]
    public void ANumberMovedInALaterBatch_IsNotDeletedByTheOldOwnersNextChange()
    {
        var mirror = new EdgeMirror();
        mirror.ApplyAll([Number("0311110001", 1, "1||0"), Contract(1, "0|1|0||"), Contract(2, "0|1|0||")]);

        // contract 2 took the number (contract 1's removal came in the same commit order, but only 2 was batched)
        Assert.Single(mirror.Apply([2], [Contract(2, "0|1|0||"), Number("0311110001", 2, "2||0")]));
        var operations = mirror.Apply([1], [Contract(1, "0|1|0||")]);

        Assert.Empty(operations);
        Assert.Equal("2||0", mirror.Get(EdgeTable.Numbers, "0311110001"));
    }
}
