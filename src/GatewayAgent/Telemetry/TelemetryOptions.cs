using GatewayAgent.Domain.Durations;
using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Telemetry;

/// <summary>The "Agent:Telemetry" settings: snapshot interval and the disk spool's place and bounds.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Agent:Telemetry";

    /// <summary>Default spool place when neither the option nor $STATE_DIRECTORY (systemd StateDirectory=) is set.</summary>
    public const string DefaultSpoolDirectory = "/var/lib/gateway-agent/spool";

    /// <summary>How often a <c>TelemetrySnapshot</c> is published while connected.</summary>
    [DurationRange("00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Where events wait for the broker's PUBACK; default $STATE_DIRECTORY/spool, else /var/lib/gateway-agent/spool.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Most bytes of undelivered events kept; past it the oldest are dropped (logged and counted).</summary>
    [Range(64 * 1024, long.MaxValue)]
    public long SpoolMaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Oldest undelivered event kept; older ones are dropped (logged and counted).</summary>
    [DurationRange("00:00:01", "3650.00:00:00")]
    public TimeSpan SpoolMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long an ordinary event may sit in the page cache before fsync (power events are fsynced at once).</summary>
    [DurationRange("00:00:00.010", "00:01:00")]
    public TimeSpan SpoolFlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
