namespace GatewayAgent.Hardware.PinMaps;

/// <summary>Which electrical level means "active" (mains present, battery low, button pressed, LED lit).</summary>
public enum PinActiveLevel
{
    High,
    Low,
}
