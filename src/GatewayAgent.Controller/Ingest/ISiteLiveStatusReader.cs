namespace GatewayAgent.Controller.Ingest;

/// <summary>Read side of the live site status, for the HTTP API and the failure cause: the same on every controller node.</summary>
public interface ISiteLiveStatusReader
{
    /// <summary>The site's live status; null when no controller node has heard from the site.</summary>
    ValueTask<SiteLiveStatus?> GetAsync(string siteId, CancellationToken cancellationToken);
}
