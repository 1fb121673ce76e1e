using System.Device.Gpio;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware.Tests.Inputs;

[Trait("Ring", "unit")]
public sealed class DebouncedInputTests
{
    private static readonly InputPinDefinition ActiveHigh = new(5, PinActiveLevel.High, PinPull.None, TimeSpan.FromMilliseconds(50));
    private static readonly InputPinDefinition ActiveLowPullUp = new(6, PinActiveLevel.Low, PinPull.Up, TimeSpan.FromMilliseconds(50));

    [Fact]
    public void BouncesShorterThanTheDebounceTime_AreIgnored()
    {
        using var board = new TestBoard();
        board.Driver.SetInput(5, PinValue.High);
        using var input = new DebouncedInput("power-good", board.Controller, ActiveHigh, board.Time);
        var changes = new List<InputChange>();
        input.Changed += changes.Add;

        for (var i = 0; i < 5; i++)
        {
            board.Driver.SetInput(5, PinValue.Low);
            board.Advance(20);
            board.Driver.SetInput(5, PinValue.High);
            board.Advance(20);
        }

        board.Advance(500);
        Assert.Empty(changes);
        Assert.True(input.IsActive);
    }

    [Fact]
    public void StableChange_IsReportedOnce_WithTheTimeOfTheEdge()
    {
        using var board = new TestBoard();
        board.Driver.SetInput(5, PinValue.High);
        using var input = new DebouncedInput("power-good", board.Controller, ActiveHigh, board.Time);
        var changes = new List<InputChange>();
        input.Changed += changes.Add;

        board.Advance(1000);
        var edgeAt = board.Time.GetUtcNow();
        board.Driver.SetInput(5, PinValue.Low);
        board.Advance(49);
        Assert.Empty(changes);

        board.Advance(1);
        var change = Assert.Single(changes);
        Assert.Equal(new InputChange("power-good", false, edgeAt), change);
        Assert.False(input.IsActive);

        board.Advance(5000);
        Assert.Single(changes);
    }

    [Fact]
    public void EdgeAfterBounces_IsTimedFromTheLastEdge()
    {
        using var board = new TestBoard();
        board.Driver.SetInput(5, PinValue.High);
        using var input = new DebouncedInput("power-good", board.Controller, ActiveHigh, board.Time);
        var changes = new List<InputChange>();
        input.Changed += changes.Add;

        board.Driver.SetInput(5, PinValue.Low);
        board.Advance(10);
        board.Driver.SetInput(5, PinValue.High);
        board.Advance(10);
        var lastEdge = board.Time.GetUtcNow();
        board.Driver.SetInput(5, PinValue.Low);
        board.Advance(60);

        Assert.Equal(lastEdge, Assert.Single(changes).At);
    }

    [Fact]
    public void ActiveLowInput_WithPullUp_IsInactiveUntilPulledLow()
    {
        using var board = new TestBoard();
        using var input = new DebouncedInput("button", board.Controller, ActiveLowPullUp, board.Time);
        var changes = new List<InputChange>();
        input.Changed += changes.Add;

        Assert.False(input.IsActive); // the pull-up holds an open switch high
        board.Driver.SetInput(6, PinValue.Low);
        board.Advance(50);
        Assert.True(Assert.Single(changes).Active);
        Assert.Equal(PinValue.Low, input.LevelFor(active: true));

        board.Driver.SetInput(6, PinValue.High);
        board.Advance(50);
        Assert.False(changes[1].Active);
    }

    [Fact]
    public void ActiveHighInput_IsActiveWhenHigh()
    {
        using var board = new TestBoard();
        board.Driver.SetInput(5, PinValue.Low);
        using var input = new DebouncedInput("power-good", board.Controller, ActiveHigh, board.Time);
        Assert.False(input.IsActive);

        board.Driver.SetInput(5, PinValue.High);
        board.Advance(50);
        Assert.True(input.IsActive);
        Assert.Equal(PinValue.High, input.LevelFor(active: true));
    }
}
