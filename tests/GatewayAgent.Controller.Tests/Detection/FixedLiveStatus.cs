using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Detection;

/// <summary>Stands in for the ingest registry: what telemetry last said about each site.</summary>
public sealed class FixedLiveStatus(params SiteLiveStatus[] sites) : ISiteLiveStatusReader
{
    public SiteLiveStatus? Get(string siteId) => sites.FirstOrDefault(s => s.SiteId == siteId);

    public IReadOnlyList<SiteLiveStatus> All() => sites;
}
