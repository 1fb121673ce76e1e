using System.Device.Gpio;
using System.Device.I2c;
using GatewayAgent.Hardware.Battery;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Hardware.Inputs;
using GatewayAgent.Hardware.Leds;
using GatewayAgent.Hardware.PinMaps;

namespace GatewayAgent.Hardware;

/// <summary>
/// The adapter's field hardware built from a <see cref="PinMap"/> on a <see cref="GpioController"/> (and, when the map
/// names an INA219, an <see cref="I2cDevice"/>) handed in by the host: the debounced inputs, the technician button,
/// the LED panel and the battery gauge. Disposing it stops its timers and edge callbacks and turns the LEDs off; the
/// controller and the device stay the host's to dispose.
/// </summary>
public sealed class AdapterBoard : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public AdapterBoard(GpioController controller, PinMap pinMap, ButtonTiming buttonTiming, TimeProvider time, I2cDevice? batteryDevice = null)
    {
        PinMap = pinMap;
        try
        {
            PowerGood = Own(new DebouncedInput(PinMap.PowerGood, controller, pinMap.Inputs[PinMap.PowerGood], time));
            BatteryLow = pinMap.Inputs.TryGetValue(PinMap.BatteryLow, out var batteryLow)
                ? Own(new DebouncedInput(PinMap.BatteryLow, controller, batteryLow, time))
                : null;
            ButtonInput = Own(new DebouncedInput(PinMap.Button, controller, pinMap.Inputs[PinMap.Button], time));
            Button = Own(new TechnicianButton(ButtonInput, buttonTiming, time));
            Leds = Own(new LedPanel(controller, pinMap.Leds, time));
            if (pinMap.Battery is { } battery && batteryDevice is not null)
            {
                Battery = Own(new Ina219BatteryGauge(batteryDevice, battery));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public PinMap PinMap { get; }

    public DebouncedInput PowerGood { get; } = null!;

    /// <summary>The UPS's battery-low signal, when the pin map has one.</summary>
    public DebouncedInput? BatteryLow { get; }

    public DebouncedInput ButtonInput { get; } = null!;

    public TechnicianButton Button { get; } = null!;

    public LedPanel Leds { get; } = null!;

    /// <summary>The INA219 gauge, when the pin map names one and the host handed in its device.</summary>
    public Ina219BatteryGauge? Battery { get; }

    /// <summary>Every debounced input by name.</summary>
    public IEnumerable<DebouncedInput> Inputs => BatteryLow is null ? [PowerGood, ButtonInput] : [PowerGood, BatteryLow, ButtonInput];

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }
}
