using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// A site's live status as every controller node sees it: the stored row (<see cref="ISiteLiveStatusStore"/>, what
/// any node wrote), read through a cache of Controller:Ingest:LiveCache, merged with what this node's ingest knows and
/// has perhaps not written yet (per field the newest). Without a store: this node's ingest only.
/// </summary>
internal sealed class SiteLiveStatusReader(
    SiteLiveStatusRegistry registry,
    IOptions<TelemetryIngestOptions> options,
    TimeProvider time,
    ISiteLiveStatusStore? store = null) : ISiteLiveStatusReader
{
    /// <summary>Cached rows at most; past it the cache starts over (it only spares the store repeated reads of a site).</summary>
    internal const int MaxCached = 4096;

    private readonly ConcurrentDictionary<string, CachedRow> _cache = new(StringComparer.Ordinal);

    public async ValueTask<SiteLiveStatus?> GetAsync(string siteId, CancellationToken cancellationToken)
    {
        var local = registry.Find(siteId);
        if (store is null)
        {
            return local?.ToStatus();
        }

        var now = time.GetUtcNow();
        var cacheTime = options.Value.LiveCache;
        SiteLiveRecord? stored;
        if (_cache.TryGetValue(siteId, out var cached) && now - cached.ReadAt < cacheTime)
        {
            stored = cached.Row;
        }
        else
        {
            stored = await store.LoadAsync(siteId, cancellationToken).ConfigureAwait(false);
            if (cacheTime > TimeSpan.Zero)
            {
                if (_cache.Count >= MaxCached)
                {
                    _cache.Clear();
                }

                _cache[siteId] = new CachedRow(stored, now);
            }
        }

        var merged = stored is null ? local : local is null ? stored : stored.Merge(local);
        return merged?.ToStatus();
    }

    private sealed record CachedRow(SiteLiveRecord? Row, DateTimeOffset ReadAt);
}
