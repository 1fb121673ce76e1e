using System.Device.Gpio;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.Hardware.PinMaps;
using GatewayAgent.Hardware.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Hardware.Tests;

/// <summary>A simulated chip, its controller and a fake clock, for the tests.</summary>
internal sealed class TestBoard : IDisposable
{
    public TestBoard()
    {
        Driver = new SimulatedGpioDriver();
        Controller = new GpioController(Driver);
    }

    public SimulatedGpioDriver Driver { get; }

    public GpioController Controller { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    public static IReadOnlyDictionary<LedName, OutputPinDefinition> Leds(PinActiveLevel active = PinActiveLevel.High) => new Dictionary<LedName, OutputPinDefinition>
    {
        [LedName.Power] = new(20, active),
        [LedName.Line] = new(21, active),
        [LedName.Cloud] = new(22, active),
        [LedName.Alarm] = new(23, active),
    };

    public void Advance(int milliseconds) => Time.Advance(TimeSpan.FromMilliseconds(milliseconds));

    public void Dispose() => Controller.Dispose();
}
