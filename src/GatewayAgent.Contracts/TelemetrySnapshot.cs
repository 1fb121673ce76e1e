namespace GatewayAgent.Contracts;

/// <summary>Periodic snapshot on <see cref="Topics.Telemetry"/>.</summary>
public sealed record TelemetrySnapshot
{
    public required long Seq { get; init; }
    public required DateTimeOffset Ts { get; init; }
    /// <summary>"mains" or "battery".</summary>
    public required string Power { get; init; }
    public BatteryReading? Battery { get; init; }
    /// <summary>"up", "down" or "unknown".</summary>
    public required string Wan { get; init; }
    public required SipSnapshot Sip { get; init; }
    /// <summary>LED name ("power", "line", "cloud", "alarm") → pattern ("off", "steady", "slow-blink", "fast-blink").</summary>
    public required IReadOnlyDictionary<string, string> Leds { get; init; }
    public required double UptimeSeconds { get; init; }
    /// <summary>Events waiting in the disk spool.</summary>
    public long SpoolDepth { get; init; }
    /// <summary>Events the spool's size or age bound dropped since the agent started (they never reach the broker).</summary>
    public long SpoolDropped { get; init; }
}

public sealed record SipSnapshot
{
    /// <summary>"registered", "unregistered", "failed" or "disabled" (no registration configured).</summary>
    public required string Registration { get; init; }
    public required int ActiveCalls { get; init; }
    public DateTimeOffset? LastProbeAnswered { get; init; }
}

public sealed record BatteryReading
{
    public required double BusVolts { get; init; }
    public required double Amps { get; init; }
    /// <summary>Estimated charge 0-100 from the bus voltage between the configured empty and full voltages.</summary>
    public required double ChargePercent { get; init; }
    public bool Low { get; init; }
}
