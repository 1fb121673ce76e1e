namespace GatewayAgent.Hardware.Battery;

/// <summary>One reading of the UPS battery: bus volts, amps through the shunt and the estimated charge (0-100).</summary>
public sealed record BatteryMeasurement(double BusVolts, double Amps, double ChargePercent, bool Low);
