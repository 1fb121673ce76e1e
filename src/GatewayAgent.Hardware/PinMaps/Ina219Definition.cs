namespace GatewayAgent.Hardware.PinMaps;

/// <summary>
/// The UPS battery monitor (INA219) of the pin map: where it sits on I2C, its shunt, and the battery's voltages at
/// full and empty for the linear charge estimate.
/// </summary>
public sealed record Ina219Definition
{
    public required int Bus { get; init; }
    public required int Address { get; init; }
    public required double ShuntOhms { get; init; }
    /// <summary>Largest current expected through the shunt (sets the current resolution).</summary>
    public double MaxAmps { get; init; } = 3.2;
    public required double FullVolts { get; init; }
    public required double EmptyVolts { get; init; }
    /// <summary>At or below this estimated charge the battery counts as low.</summary>
    public double LowPercent { get; init; } = 20;
}
