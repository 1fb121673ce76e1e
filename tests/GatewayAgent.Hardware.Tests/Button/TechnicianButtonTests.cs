using System.Device.Gpio;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware.Tests.Button;

[Trait("Ring", "unit")]
public sealed class TechnicianButtonTests
{
    private static readonly InputPinDefinition Pin = new(26, PinActiveLevel.Low, PinPull.Up, TimeSpan.FromMilliseconds(50));

    private static (TestBoard Board, DebouncedInput Input, TechnicianButton Button, List<(ButtonPress, DateTimeOffset)> Presses) Create()
    {
        var board = new TestBoard();
        var input = new DebouncedInput("button", board.Controller, Pin, board.Time);
        var button = new TechnicianButton(input, ButtonTiming.Default, board.Time);
        var presses = new List<(ButtonPress, DateTimeOffset)>();
        button.Pressed += (kind, at) => presses.Add((kind, at));
        return (board, input, button, presses);
    }

    [Fact]
    public void PressReleasedWithinTwoSeconds_IsShort()
    {
        var (board, input, button, presses) = Create();
        using (board)
        using (input)
        using (button)
        {
            var pressedAt = board.Time.GetUtcNow();
            board.Driver.SetInput(26, PinValue.Low);
            board.Advance(1500);
            Assert.Empty(presses);
            board.Driver.SetInput(26, PinValue.High);
            board.Advance(50);

            Assert.Equal([(ButtonPress.Short, pressedAt)], presses);
            board.Advance(5000);
            Assert.Single(presses);
        }
    }

    [Fact]
    public void PressHeldThreeSeconds_IsLong_ReportedWhileHeld_AndItsReleaseIsNotShort()
    {
        var (board, input, button, presses) = Create();
        using (board)
        using (input)
        using (button)
        {
            var pressedAt = board.Time.GetUtcNow();
            board.Driver.SetInput(26, PinValue.Low);
            board.Advance(2999);
            Assert.Empty(presses);
            board.Advance(1);
            Assert.Equal([(ButtonPress.Long, pressedAt)], presses);

            board.Advance(4000);
            board.Driver.SetInput(26, PinValue.High);
            board.Advance(100);
            Assert.Single(presses);
        }
    }

    [Fact]
    public void PressBetweenShortAndLong_IsNeither()
    {
        var (board, input, button, presses) = Create();
        using (board)
        using (input)
        using (button)
        {
            board.Driver.SetInput(26, PinValue.Low);
            board.Advance(2500);
            board.Driver.SetInput(26, PinValue.High);
            board.Advance(5000);

            Assert.Empty(presses);
        }
    }

    [Fact]
    public void BounceOnTheButton_IsNotAPress()
    {
        var (board, input, button, presses) = Create();
        using (board)
        using (input)
        using (button)
        {
            board.Driver.SetInput(26, PinValue.Low);
            board.Advance(10);
            board.Driver.SetInput(26, PinValue.High);
            board.Advance(5000);

            Assert.Empty(presses);
        }
    }
}
