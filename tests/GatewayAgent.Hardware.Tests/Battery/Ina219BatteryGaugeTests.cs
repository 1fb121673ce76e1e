using System.Device.I2c;
using GatewayAgent.Hardware.Battery;
using GatewayAgent.Hardware.PinMaps;
using GatewayAgent.Hardware.Simulation;

namespace GatewayAgent.Hardware.Tests.Battery;

[Trait("Ring", "unit")]
public sealed class Ina219BatteryGaugeTests
{
    private static readonly Ina219Definition TwoCellLithium = new()
    {
        Bus = 1,
        Address = 0x42,
        ShuntOhms = 0.1,
        MaxAmps = 3.2,
        FullVolts = 8.4,
        EmptyVolts = 6.0,
        LowPercent = 20,
    };

    [Theory]
    [InlineData(8.4, 100)]
    [InlineData(7.2, 50)]
    [InlineData(6.456, 19)]
    [InlineData(6.6, 25)]
    [InlineData(6.0, 0)]
    [InlineData(9.0, 100)] // charging above "full": clamped
    [InlineData(5.0, 0)]
    public void ChargeEstimate_IsLinearBetweenEmptyAndFull_AndClamped(double volts, double percent)
    {
        var chip = new SimulatedIna219(new I2cConnectionSettings(1, 0x42), TwoCellLithium.ShuntOhms) { BusVolts = volts, ShuntAmps = 0.5 };
        using var gauge = new Ina219BatteryGauge(chip, TwoCellLithium);

        var reading = gauge.Read();

        Assert.Equal(volts, reading.BusVolts, precision: 2);
        Assert.Equal(percent, reading.ChargePercent, precision: 0);
        Assert.Equal(percent < 20, reading.Low);
    }

    [Theory]
    [InlineData(1.25)]
    [InlineData(-0.4)] // charging: current flows back through the shunt
    public void Current_IsReadThroughTheCalibrationTheGaugeWrote(double amps)
    {
        var chip = new SimulatedIna219(new I2cConnectionSettings(1, 0x42), TwoCellLithium.ShuntOhms) { BusVolts = 7.6, ShuntAmps = amps };
        using var gauge = new Ina219BatteryGauge(chip, TwoCellLithium);

        var reading = gauge.Read();

        var (calibration, _) = Ina219BatteryGauge.Calibration(TwoCellLithium);
        Assert.Equal(calibration & 0xFFFE, chip.ReadRegisterValue(0x05));
        Assert.Equal(amps, reading.Amps, precision: 2);
        // The gauge configured continuous shunt+bus conversion on the 32 V range.
        Assert.Equal(0x7, chip.ReadRegisterValue(0x00) & 0x7);
        Assert.NotEqual(0, chip.ReadRegisterValue(0x00) & 0x2000);
    }
}
