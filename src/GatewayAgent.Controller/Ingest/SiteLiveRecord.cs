namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// A site's live status with the receive time of each field's last change (controller clock), so that what several
/// controller nodes learned from the messages each of them received can be merged in any order: per field the newest
/// wins (<see cref="Merge"/>), and <see cref="LastSeen"/> is the latest. A field whose time is null was never set. The
/// same shape is a change (only the fields a message set), this node's view, and the shared row in site_live.
/// </summary>
public sealed record SiteLiveRecord(string SiteId)
{
    public bool Online { get; init; }

    public DateTimeOffset? OnlineAt { get; init; }

    public string? Power { get; init; }

    public DateTimeOffset? PowerAt { get; init; }

    public double? BatteryPercent { get; init; }

    public DateTimeOffset? BatteryAt { get; init; }

    public string? Wan { get; init; }

    public DateTimeOffset? WanAt { get; init; }

    public string? Version { get; init; }

    public DateTimeOffset? VersionAt { get; init; }

    public long LastSeq { get; init; }

    public DateTimeOffset? SeqAt { get; init; }

    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>This record with every field that <paramref name="other"/> set at least as late taken from it (ties: <paramref name="other"/>).</summary>
    public SiteLiveRecord Merge(SiteLiveRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Online = Takes(other.OnlineAt, OnlineAt) ? other.Online : Online,
            OnlineAt = Latest(other.OnlineAt, OnlineAt),
            Power = Takes(other.PowerAt, PowerAt) ? other.Power : Power,
            PowerAt = Latest(other.PowerAt, PowerAt),
            BatteryPercent = Takes(other.BatteryAt, BatteryAt) ? other.BatteryPercent : BatteryPercent,
            BatteryAt = Latest(other.BatteryAt, BatteryAt),
            Wan = Takes(other.WanAt, WanAt) ? other.Wan : Wan,
            WanAt = Latest(other.WanAt, WanAt),
            Version = Takes(other.VersionAt, VersionAt) ? other.Version : Version,
            VersionAt = Latest(other.VersionAt, VersionAt),
            LastSeq = Takes(other.SeqAt, SeqAt) ? other.LastSeq : LastSeq,
            SeqAt = Latest(other.SeqAt, SeqAt),
            LastSeen = Latest(other.LastSeen, LastSeen),
        };
    }

    public SiteLiveStatus ToStatus() => new()
    {
        SiteId = SiteId,
        Online = Online,
        Power = Power,
        BatteryPercent = BatteryPercent,
        Wan = Wan,
        Version = Version,
        LastSeen = LastSeen,
        LastSeq = LastSeq,
    };

    private static bool Takes(DateTimeOffset? incoming, DateTimeOffset? current) => incoming is { } i && (current is not { } c || i >= c);

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => Takes(a, b) ? a : b;
}
