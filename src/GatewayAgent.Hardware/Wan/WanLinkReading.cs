namespace GatewayAgent.Hardware.Wan;

/// <summary>What the kernel says about the WAN interface: <paramref name="OperState"/> as in sysfs ("up", "down",
/// "dormant", ..., or "missing" when the interface does not exist) and whether it has carrier.</summary>
public sealed record WanLinkReading(string Interface, bool Up, string OperState, bool Carrier, DateTimeOffset At);
