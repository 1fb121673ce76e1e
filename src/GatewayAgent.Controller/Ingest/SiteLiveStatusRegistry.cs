using System.Collections.Concurrent;

namespace GatewayAgent.Controller.Ingest;

/// <summary>In-memory live status of every site heard from since the controller started (concurrent).</summary>
public sealed class SiteLiveStatusRegistry : ISiteLiveStatusReader
{
    private readonly ConcurrentDictionary<string, SiteTrack> _sites = new(StringComparer.Ordinal);

    public SiteLiveStatus? Get(string siteId) => _sites.TryGetValue(siteId, out var track) ? track.Status : null;

    public IReadOnlyList<SiteLiveStatus> All() =>
        _sites.Values.Select(t => t.Status).OrderBy(s => s.SiteId, StringComparer.Ordinal).ToList();

    /// <summary>Sites whose last known state is online.</summary>
    public int OnlineCount()
    {
        var count = 0;
        foreach (var track in _sites.Values)
        {
            if (track.Status.Online)
            {
                count++;
            }
        }

        return count;
    }

    internal SiteTrack Track(string siteId) => _sites.GetOrAdd(siteId, static id => new SiteTrack(id));
}
