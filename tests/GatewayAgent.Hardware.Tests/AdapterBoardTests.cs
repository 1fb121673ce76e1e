using System.Device.Gpio;
using System.Device.I2c;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.Hardware.PinMaps;
using GatewayAgent.Hardware.Simulation;

namespace GatewayAgent.Hardware.Tests;

[Trait("Ring", "unit")]
public sealed class AdapterBoardTests
{
    [Fact]
    public void BoardFromTheSimPinMap_ReadsInputs_DrivesLeds_ReadsTheGauge_AndLetsGoOnDispose()
    {
        using var test = new TestBoard();
        var map = PinMap.Load(Path.Combine(AppContext.BaseDirectory, "pinmaps", "sim.json"));
        test.Driver.SetInput(1, PinValue.High); // mains present (active-high)
        var gauge = new SimulatedIna219(new I2cConnectionSettings(1, 0x40), 0.1) { BusVolts = 7.8 };
        var board = new AdapterBoard(test.Controller, map, ButtonTiming.Default, test.Time, gauge);
        var changes = new List<InputChange>();
        board.PowerGood.Changed += changes.Add;

        Assert.True(board.PowerGood.IsActive);
        Assert.False(board.BatteryLow!.IsActive); // pull-up on an active-low input
        Assert.False(board.ButtonInput.IsActive);
        Assert.Equal(75, board.Battery!.Read().ChargePercent, precision: 0);
        board.Leds.SetPattern(LedName.Alarm, LedPattern.Steady);
        Assert.Equal(PinValue.High, test.Driver.GetLevel(13));

        board.Dispose();

        Assert.Equal(PinValue.Low, test.Driver.GetLevel(13));
        test.Driver.SetInput(1, PinValue.Low);
        test.Advance(100);
        Assert.Empty(changes);
    }
}
