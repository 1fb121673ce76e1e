using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Controller:Mqtt:Limits — what the embedded broker accepts from one source and in one packet (issue 12 item 8;
/// docs/security.md).
/// </summary>
public sealed class BrokerLimitsOptions
{
    public const string Section = "Controller:Mqtt:Limits";

    /// <summary>The largest MQTT packet accepted (fixed header included); a larger one closes the connection before it is read.</summary>
    [Range(1024, 268_435_455)]
    public int MaxPacketBytes { get; set; } = 64 * 1024;

    /// <summary>The largest payload of a site's event (gw/v1/{siteId}/events); a larger event is refused (PUBACK 0x99) and counted.</summary>
    [Range(256, 268_435_455)]
    public int MaxEventPayloadBytes { get; set; } = 8 * 1024;

    /// <summary>Sustained new connections per minute from one source address (an IPv6 /64).</summary>
    [Range(1, 1_000_000)]
    public double ConnectionsPerMinute { get; set; } = 30;

    /// <summary>New connections one source may open in a burst above <see cref="ConnectionsPerMinute"/>.</summary>
    [Range(1, 1_000_000)]
    public int ConnectionBurst { get; set; } = 20;

    /// <summary>Connections open at once from one source address (a NAT may hide several sites behind one).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerSource { get; set; } = 50;

    /// <summary>Failed authentications from one source within <see cref="FailedAuthWindow"/> before it is refused until the window ends.</summary>
    [Range(1, 1_000_000)]
    public int FailedAuthLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Source addresses tracked at once.</summary>
    [Range(16, 10_000_000)]
    public int MaxTrackedSources { get; set; } = 100_000;
}
