namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Per-site ingest state: the published <see cref="SiteLiveStatus"/> plus what seq-gap detection needs. Mutated only
/// by the ingest worker that owns the site (sites are sharded), read by anyone through <see cref="Status"/>.
/// </summary>
internal sealed class SiteTrack(string siteId)
{
    private volatile SiteLiveStatus _status = new() { SiteId = siteId };

    public string SiteId { get; } = siteId;

    public SiteLiveStatus Status
    {
        get => _status;
        set => _status = value;
    }

    /// <summary>bdSeq of the newest birth (or will) seen; null before any.</summary>
    public long? BdSeq { get; set; }

    /// <summary>Highest live (non-historical) event seq within the current bdSeq; null right after a birth.</summary>
    public long? LastEventSeq { get; set; }

    /// <summary>Online as last known; null when the controller has not heard of the site's state yet.</summary>
    public bool? KnownOnline { get; set; }

    public DateTimeOffset? LastRebirthRequest { get; set; }
}
