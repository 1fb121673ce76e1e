namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Where the sites' live status is shared between controller nodes and kept over restarts (the site_live table):
/// every node writes what its ingest learned, any node reads a site's status (docs/scale-out.md, "Live status").
/// </summary>
public interface ISiteLiveStatusStore
{
    /// <summary>Merges the changes into the stored rows, per field the newest (<see cref="SiteLiveRecord.Merge"/>), in one transaction.</summary>
    Task SaveAsync(IReadOnlyCollection<SiteLiveRecord> changes, CancellationToken cancellationToken);

    /// <summary>The stored status of a site; null when no node has written one.</summary>
    Task<SiteLiveRecord?> LoadAsync(string siteId, CancellationToken cancellationToken);
}
