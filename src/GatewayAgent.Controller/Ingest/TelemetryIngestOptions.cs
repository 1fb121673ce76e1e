using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Controller:Ingest — how inbound agent messages are processed.</summary>
public sealed class TelemetryIngestOptions
{
    public const string Section = "Controller:Ingest";

    /// <summary>Parallel ingest workers; a site always lands on the same worker, so its messages stay in order.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 2;

    /// <summary>Messages queued per worker before the broker's receive loop waits (back-pressure to the agents).</summary>
    [Range(16, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>At most one rebirth request per site within this time, however many seq gaps it shows.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RebirthCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Historical (spooled) power.lost / wan.down events older than this do not trigger fast probing.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan HistoricalTriggerAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>ACL violations are logged at most once per site within this time (the rest are counted).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AclLogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Stored site events older than this (by the time they were received) are purged (issue 12 item 8).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the purge of <see cref="EventRetention"/> runs (also once at start).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan EventPurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Live status: after writing this node's changes to the database the writer waits this long, so that what comes
    /// meanwhile is one row write per site (docs/scale-out.md, "Live status"). An isolated change is written at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan LiveFlush { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Live status: how long the API reuses a site's row read from the database (0 = read every time).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan LiveCache { get; set; } = TimeSpan.FromSeconds(1);
}
