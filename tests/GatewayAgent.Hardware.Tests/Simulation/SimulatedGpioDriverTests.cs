using System.Device.Gpio;

namespace GatewayAgent.Hardware.Tests.Simulation;

[Trait("Ring", "unit")]
public sealed class SimulatedGpioDriverTests
{
    [Fact]
    public void InputChange_RaisesTheEdgeCallback_ThroughGpioController()
    {
        using var board = new TestBoard();
        board.Controller.OpenPin(4, PinMode.InputPullUp);
        var edges = new List<PinEventTypes>();
        board.Controller.RegisterCallbackForPinValueChangedEvent(4, PinEventTypes.Falling | PinEventTypes.Rising, (_, e) => edges.Add(e.ChangeType));

        Assert.Equal(PinValue.High, board.Controller.Read(4));
        board.Driver.SetInput(4, PinValue.Low);
        board.Driver.SetInput(4, PinValue.Low); // no change, no edge
        board.Driver.SetInput(4, PinValue.High);

        Assert.Equal([PinEventTypes.Falling, PinEventTypes.Rising], edges);
    }

    [Fact]
    public async Task WaitForEvent_CompletesOnTheEdge()
    {
        using var board = new TestBoard();
        board.Controller.OpenPin(4, PinMode.Input);
        var wait = board.Controller.WaitForEventAsync(4, PinEventTypes.Rising, CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);

        board.Driver.SetInput(4, PinValue.High);

        Assert.Equal(PinEventTypes.Rising, (await wait).EventTypes);
    }
}
