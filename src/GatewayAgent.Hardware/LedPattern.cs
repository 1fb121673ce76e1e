namespace GatewayAgent.Hardware;

/// <summary>What a status LED shows; hw/LEDS.md gives each LED's meaning per pattern.</summary>
public enum LedPattern
{
    Off,
    Steady,
    SlowBlink,
    FastBlink,
}
