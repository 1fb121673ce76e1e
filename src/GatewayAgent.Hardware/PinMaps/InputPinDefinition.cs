namespace GatewayAgent.Hardware.PinMaps;

/// <summary>One input of the pin map: its line number (BCM GPIO on a Pi, line offset on a libgpiod chip).</summary>
public sealed record InputPinDefinition(int Pin, PinActiveLevel Active, PinPull Pull, TimeSpan Debounce)
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(50);
}
