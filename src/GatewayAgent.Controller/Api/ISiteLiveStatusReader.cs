using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Api;

/// <summary>What telemetry last said about a site (implemented by the ingest registry; optional: absent means unknown).</summary>
public interface ISiteLiveStatusReader
{
    SiteLiveStatus? Get(string siteId);
}
