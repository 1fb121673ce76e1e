namespace GatewayAgent.Hardware.Leds;

/// <summary>The four status LEDs (hw/LEDS.md).</summary>
public enum LedName
{
    Power,
    Line,
    Cloud,
    Alarm,
}
