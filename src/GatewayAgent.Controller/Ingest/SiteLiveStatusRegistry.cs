using System.Collections.Concurrent;
using System.Threading.Channels;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// What this node's ingest learned of each site since the controller started (concurrent). With a
/// <see cref="ISiteLiveStatusStore"/> every change is also kept as pending, one merged record per site, until
/// <see cref="SiteLiveStatusWriter"/> writes it to the store: a burst of messages from one site is one row write.
/// </summary>
public sealed class SiteLiveStatusRegistry(ISiteLiveStatusStore? store = null)
{
    private readonly ConcurrentDictionary<string, SiteTrack> _sites = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SiteLiveRecord> _pending = new(StringComparer.Ordinal);
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>What this node's ingest knows of the site (the API reads <see cref="ISiteLiveStatusReader"/>, which also asks the store).</summary>
    public SiteLiveStatus? Get(string siteId) => Find(siteId)?.ToStatus();

    public IReadOnlyList<SiteLiveStatus> All() =>
        _sites.Values.Select(t => t.Status).OrderBy(s => s.SiteId, StringComparer.Ordinal).ToList();

    /// <summary>Sites whose last state known to this node is online.</summary>
    public int OnlineCount()
    {
        var count = 0;
        foreach (var track in _sites.Values)
        {
            if (track.Record.Online)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Changes not yet written to the store (sites).</summary>
    public int PendingCount => _pending.Count;

    internal SiteLiveRecord? Find(string siteId) => _sites.TryGetValue(siteId, out var track) ? track.Record : null;

    internal SiteTrack Track(string siteId) => _sites.GetOrAdd(siteId, static id => new SiteTrack(id));

    /// <summary>Applies a change that a message made (only the fields it set, stamped with its receive time).</summary>
    internal void Record(SiteLiveRecord change)
    {
        Track(change.SiteId).Merge(change);
        if (store is null)
        {
            return;
        }

        _pending.AddOrUpdate(change.SiteId, change, (_, pending) => pending.Merge(change));
        _changed.Writer.TryWrite(true);
    }

    /// <summary>Completes when there may be changes to write.</summary>
    internal ValueTask<bool> WaitForChangesAsync(CancellationToken cancellationToken) => _changed.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes up to <paramref name="max"/> pending changes (the rest stay pending).</summary>
    internal List<SiteLiveRecord> TakePending(int max)
    {
        _changed.Reader.TryRead(out _);
        var taken = new List<SiteLiveRecord>(Math.Min(max, _pending.Count));
        foreach (var siteId in _pending.Keys)
        {
            if (taken.Count == max)
            {
                _changed.Writer.TryWrite(true);
                break;
            }

            if (_pending.TryRemove(siteId, out var change))
            {
                taken.Add(change);
            }
        }

        return taken;
    }

    /// <summary>Puts back changes whose write failed, under any change that came since.</summary>
    internal void Restore(IEnumerable<SiteLiveRecord> changes)
    {
        foreach (var change in changes)
        {
            _pending.AddOrUpdate(change.SiteId, change, (_, newer) => change.Merge(newer));
        }

        _changed.Writer.TryWrite(true);
    }
}
