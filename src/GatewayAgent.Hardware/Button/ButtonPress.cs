namespace GatewayAgent.Hardware.Button;

public enum ButtonPress
{
    /// <summary>Released before the short-press limit: LED test and self-test.</summary>
    Short,
    /// <summary>Held for the long-press time: the technician is on site.</summary>
    Long,
}
