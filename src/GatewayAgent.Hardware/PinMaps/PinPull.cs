namespace GatewayAgent.Hardware.PinMaps;

/// <summary>The internal bias resistor an input pin is opened with.</summary>
public enum PinPull
{
    None,
    Up,
    Down,
}
