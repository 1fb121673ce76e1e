using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Detection;

/// <summary>Stands in for the ingest's live status: what telemetry last said about each site.</summary>
public sealed class FixedLiveStatus(params SiteLiveStatus[] sites) : ISiteLiveStatusReader
{
    public ValueTask<SiteLiveStatus?> GetAsync(string siteId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(sites.FirstOrDefault(s => s.SiteId == siteId));
}
