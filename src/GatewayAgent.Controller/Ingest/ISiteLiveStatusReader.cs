namespace GatewayAgent.Controller.Ingest;

/// <summary>Read side of the live site status, for the HTTP API and dashboards.</summary>
public interface ISiteLiveStatusReader
{
    SiteLiveStatus? Get(string siteId);

    IReadOnlyList<SiteLiveStatus> All();
}
