using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using GatewayAgent.Hardware;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Hardware.PinMaps;
using GatewayAgent.Hardware.Simulation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Board;

/// <summary>
/// The board the agent runs on, composed from Agent:Board: the GPIO controller (the platform default on a Raspberry
/// Pi, libgpiod elsewhere, or a simulated chip), the INA219's I2C device, and the <see cref="AdapterBoard"/> on them.
/// Opened by <see cref="BoardService"/> at start; the only place the agent touches real hardware.
/// </summary>
public sealed class AgentBoard : IDisposable
{
    private readonly BoardOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private GpioController? _controller;
    private I2cDevice? _i2c;

    public AgentBoard(IOptions<BoardOptions> options, TimeProvider time, ILogger<AgentBoard> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        Selection = BoardSelection.Resolve(_options);
    }

    public BoardSelection Selection { get; }

    /// <summary>The opened board; null before <see cref="Open"/>.</summary>
    public AdapterBoard? Hardware { get; private set; }

    /// <summary>The simulated chip and INA219 when <see cref="BoardSelection.Kind"/> is "sim".</summary>
    public SimulatedGpioDriver? SimulatedGpio { get; private set; }

    public SimulatedIna219? SimulatedBattery { get; private set; }

    public bool IsSimulated => Selection.Kind == BoardSelection.Sim;

    public AdapterBoard Open()
    {
        if (Hardware is not null)
        {
            return Hardware;
        }

        if (Selection.AutomaticRefusal is { } refusal)
        {
            // Options validation stops the agent before this; a board opened without it still never simulates by default.
            throw new BoardUnavailableException(refusal);
        }

        var pinMap = Selection.LoadPinMap();
        try
        {
            _controller = CreateController(pinMap);
            _i2c = CreateBatteryDevice(pinMap);
            Hardware = new AdapterBoard(_controller, pinMap, new ButtonTiming(_options.ShortPressMax, _options.LongPress), _time, _i2c);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message.Split('\n')[0]}" : ex.Message;
            BoardLog.OpenFailed(_logger, Selection.Kind, Selection.PinMapPath, reason);
            throw new BoardUnavailableException($"cannot open the {Selection.Kind} board with {Selection.PinMapPath}: {reason}", ex);
        }

        BoardLog.Opened(_logger, Selection.Description, pinMap.Description ?? pinMap.Name,
            string.Join(", ", Hardware.Inputs.Select(i => $"{i.Name}={(i.IsActive ? 1 : 0)}")),
            Hardware.Battery is null ? "none" : $"INA219 on I2C {pinMap.Battery!.Bus} at 0x{pinMap.Battery.Address:x2}");
        return Hardware;
    }

    private GpioController CreateController(PinMap pinMap)
    {
        switch (Selection.Kind)
        {
            case BoardSelection.Sim:
                SimulatedGpio = new SimulatedGpioDriver();
                // The simulated site starts healthy: mains present, battery fine, button released.
                foreach (var (name, definition) in pinMap.Inputs)
                {
                    var active = name == PinMap.PowerGood;
                    SimulatedGpio.SetInput(definition.Pin, active == (definition.Active == PinActiveLevel.High) ? PinValue.High : PinValue.Low);
                }

                return new GpioController(SimulatedGpio);
            case BoardSelection.LibGpiod:
                var chip = BoardSelection.GpioChip(_options, pinMap);
                return new GpioController(_options.LibGpiodVersion switch
                {
                    "v1" => new LibGpiodDriver(chip),
                    "v2" => new LibGpiodV2Driver(chip),
                    _ => CreateLibGpiodAuto(chip),
                });
            default:
                return new GpioController(); // the platform's best driver for this Raspberry Pi
        }
    }

    private static GpioDriver CreateLibGpiodAuto(int chip)
    {
        try
        {
            return new LibGpiodV2Driver(chip);
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException or IOException or InvalidOperationException)
        {
            return new LibGpiodDriver(chip);
        }
    }

    private I2cDevice? CreateBatteryDevice(PinMap pinMap)
    {
        if (pinMap.Battery is not { } battery)
        {
            return null;
        }

        var settings = new I2cConnectionSettings(battery.Bus, battery.Address);
        if (IsSimulated)
        {
            SimulatedBattery = new SimulatedIna219(settings, battery.ShuntOhms) { BusVolts = _options.Simulation.BatteryVolts, ShuntAmps = -0.05 };
            return SimulatedBattery;
        }

        I2cDevice? device = null;
        try
        {
            device = I2cDevice.Create(settings);
            device.ReadByte(); // fails now, not at the first poll, when nothing answers at the address
            return device;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or ArgumentException)
        {
            device?.Dispose();
            BoardLog.BatteryUnavailable(_logger, battery.Bus, battery.Address, ex.Message);
            return null;
        }
    }

    public void Dispose()
    {
        Hardware?.Dispose();
        _i2c?.Dispose();
        _i2c = null;
        _controller?.Dispose();
        _controller = null;
    }
}
