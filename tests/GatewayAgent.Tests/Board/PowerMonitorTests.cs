using System.Device.Gpio;
using GatewayAgent.Board;
using GatewayAgent.Contracts;
using GatewayAgent.Hardware;
using GatewayAgent.Hardware.Button;
using GatewayAgent.Hardware.PinMaps;
using GatewayAgent.Hardware.Simulation;
using GatewayAgent.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Tests.Board;

/// <summary>The power monitor on a simulated chip and INA219 with a fake clock.</summary>
[Trait("Ring", "unit")]
public sealed class PowerMonitorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));
    private readonly SimulatedGpioDriver _driver = new();
    private readonly GpioController _controller;
    private readonly SimulatedIna219 _battery;
    private readonly AdapterBoard _board;
    private readonly AgentStatus _status = new();
    private readonly AgentEventHub _events;
    private readonly List<(AgentEventNotice Notice, PowerSource PowerWhenRaised)> _raised = [];
    private readonly PowerMonitor _monitor;

    public PowerMonitorTests()
    {
        var pinMap = PinMap.Load(Path.Combine(AppContext.BaseDirectory, "pinmaps", "sim.json"));
        _driver.SetInput(pinMap.Inputs[PinMap.PowerGood].Pin, PinValue.High);
        _driver.SetInput(pinMap.Inputs[PinMap.BatteryLow].Pin, PinValue.High);
        _driver.SetInput(pinMap.Inputs[PinMap.Button].Pin, PinValue.High);
        _controller = new GpioController(_driver);
        _battery = new SimulatedIna219(new System.Device.I2c.I2cConnectionSettings(1, 0x40), 0.1) { BusVolts = 8.0, ShuntAmps = 0.3 };
        _board = new AdapterBoard(_controller, pinMap, ButtonTiming.Default, _time, _battery);
        _events = new AgentEventHub(_time);
        // The listener runs on the raising thread: it sees the status the monitor set just before raising.
        _events.Subscribe(n => _raised.Add((n, _status.Power)));
        _monitor = new PowerMonitor(_status, _events, _time, Options.Create(new BoardOptions()), NullLogger<PowerMonitor>.Instance);
        _monitor.Start(_board);
    }

    [Fact]
    public void PowerGoodDrop_RaisesPowerLost_AtTheDebounceEnd_StampedWithTheEdge_AfterSettingBattery()
    {
        Assert.Equal(PowerSource.Mains, _status.Power);
        var edge = _time.GetUtcNow();
        _driver.SetInput(1, PinValue.Low);
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Empty(_raised);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        var (notice, power) = Assert.Single(_raised);
        Assert.Equal(EventTypes.PowerLost, notice.Type);
        Assert.Equal(edge, notice.At);
        Assert.Equal(PowerSource.Battery, power);

        _driver.SetInput(1, PinValue.High);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(EventTypes.PowerRestored, _raised[1].Notice.Type);
        Assert.Equal(PowerSource.Mains, _status.Power);
    }

    [Fact]
    public void BatteryLowInput_RaisesBatteryLowThenOk()
    {
        _driver.SetInput(2, PinValue.Low); // active-low on the sim map
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(_status.BatteryLow);
        Assert.Equal(EventTypes.BatteryLow, Assert.Single(_raised).Notice.Type);

        _driver.SetInput(2, PinValue.High);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(_status.BatteryLow);
        Assert.Equal(EventTypes.BatteryOk, _raised[1].Notice.Type);
    }

    [Fact]
    public void Gauge_IsPolled_IntoStatus_AndALowChargeIsBatteryLow()
    {
        Assert.Equal(8.0, _status.Battery!.BusVolts, precision: 2);
        Assert.Equal(0.3, _status.Battery.Amps, precision: 2);
        Assert.Equal(83.3, _status.Battery.ChargePercent, precision: 0);

        _battery.BusVolts = 6.3; // 12.5 % of the way from 6.0 to 8.4 V
        _time.Advance(new BoardOptions().BatteryPollInterval);

        Assert.Equal(12.5, _status.Battery.ChargePercent, precision: 0);
        Assert.True(_status.BatteryLow);
        Assert.Equal(EventTypes.BatteryLow, Assert.Single(_raised).Notice.Type);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _board.Dispose();
        _controller.Dispose();
    }
}
