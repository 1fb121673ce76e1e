namespace GatewayAgent.Hardware.Inputs;

/// <summary>A debounced input changed: <paramref name="At"/> is the time of the edge that began the stable level.</summary>
public sealed record InputChange(string Name, bool Active, DateTimeOffset At);
