namespace GatewayAgent.Contracts.Api;

/// <summary>What telemetry told the controller about a site, for the live status view.</summary>
public sealed record SiteLiveStatus
{
    public required string SiteId { get; init; }
    public bool Online { get; init; }
    public string? Power { get; init; }
    public double? BatteryPercent { get; init; }
    public string? Wan { get; init; }
    public string? Version { get; init; }
    public DateTimeOffset? LastSeen { get; init; }
    public long LastSeq { get; init; }
}
