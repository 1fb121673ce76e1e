namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Per-site ingest state: this node's <see cref="SiteLiveRecord"/> plus what seq-gap detection needs. The seq and birth
/// fields are mutated only by the ingest worker that owns the site (sites are sharded); the record is merged atomically
/// and read by anyone.
/// </summary>
internal sealed class SiteTrack(string siteId)
{
    private SiteLiveRecord _record = new(siteId);

    public string SiteId { get; } = siteId;

    public SiteLiveRecord Record => Volatile.Read(ref _record);

    public SiteLiveStatus Status => Record.ToStatus();

    /// <summary>bdSeq of the newest birth (or will) seen; null before any.</summary>
    public long? BdSeq { get; set; }

    /// <summary>Highest live (non-historical) event seq within the current bdSeq; null right after a birth.</summary>
    public long? LastEventSeq { get; set; }

    /// <summary>Online as last known; null when the controller has not heard of the site's state yet.</summary>
    public bool? KnownOnline { get; set; }

    public DateTimeOffset? LastRebirthRequest { get; set; }

    /// <summary>Merges a change into this node's record (per field the newest).</summary>
    public void Merge(SiteLiveRecord change)
    {
        var current = Volatile.Read(ref _record);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _record, current.Merge(change), current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }
}
