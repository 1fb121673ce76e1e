namespace GatewayAgent.Hardware.PinMaps;

/// <summary>One LED output of the pin map.</summary>
public sealed record OutputPinDefinition(int Pin, PinActiveLevel Active);
