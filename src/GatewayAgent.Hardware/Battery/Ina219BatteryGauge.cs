using System.Device.I2c;
using GatewayAgent.Hardware.PinMaps;
using Iot.Device.Adc;

namespace GatewayAgent.Hardware.Battery;

/// <summary>
/// The UPS battery through an INA219 on an <see cref="I2cDevice"/> the caller owns: bus voltage, current (the
/// calibration is derived from the shunt and the largest expected current, as in the INA219 datasheet §8.5.1) and a
/// charge estimate that is linear between the pin map's empty and full voltages, clamped to 0-100.
/// </summary>
public sealed class Ina219BatteryGauge : IDisposable
{
    private readonly Ina219 _ina219;
    private readonly Ina219Definition _definition;

    public Ina219BatteryGauge(I2cDevice device, Ina219Definition definition)
    {
        _definition = definition;
        _ina219 = new Ina219(device);
        _ina219.Reset();
        _ina219.BusVoltageRange = Ina219BusVoltageRange.Range32v;
        _ina219.PgaSensitivity = Ina219PgaSensitivity.PlusOrMinus320mv;
        _ina219.BusAdcResolutionOrSamples = Ina219AdcResolutionOrSamples.Adc12Bit;
        _ina219.ShuntAdcResolutionOrSamples = Ina219AdcResolutionOrSamples.Adc12Bit;
        _ina219.OperatingMode = Ina219OperatingMode.ShuntAndBusContinuous;
        var (calibration, currentLsb) = Calibration(definition);
        _ina219.SetCalibration(calibration, (float)currentLsb);
    }

    /// <summary>Calibration register value and amps per current-register bit for the shunt and maximum current.</summary>
    public static (ushort Calibration, double CurrentLsb) Calibration(Ina219Definition definition)
    {
        var currentLsb = definition.MaxAmps / 32768;
        var calibration = Math.Truncate(0.04096 / (currentLsb * definition.ShuntOhms));
        return ((ushort)Math.Clamp(calibration, 1, 0xFFFE), currentLsb);
    }

    /// <summary>Linear estimate between empty and full volts, clamped to 0-100.</summary>
    public static double EstimateChargePercent(double busVolts, double emptyVolts, double fullVolts) =>
        Math.Clamp((busVolts - emptyVolts) / (fullVolts - emptyVolts) * 100, 0, 100);

    /// <summary>
    /// The binding scales the current register as unsigned, but the INA219 stores it in two's complement: a charging
    /// battery (current flowing back through the shunt) would read as a huge positive current. Undo that.
    /// </summary>
    private double Signed(double amps)
    {
        var (_, currentLsb) = Calibration(_definition);
        var raw = Math.Round(amps / currentLsb);
        return (raw >= 32768 ? raw - 65536 : raw) * currentLsb;
    }

    public BatteryMeasurement Read()
    {
        var volts = _ina219.ReadBusVoltage().Volts;
        var amps = Signed(_ina219.ReadCurrent().Amperes);
        var charge = EstimateChargePercent(volts, _definition.EmptyVolts, _definition.FullVolts);
        return new BatteryMeasurement(Math.Round(volts, 3), Math.Round(amps, 4), Math.Round(charge, 1), charge <= _definition.LowPercent);
    }

    public void Dispose() => _ina219.Dispose();
}
