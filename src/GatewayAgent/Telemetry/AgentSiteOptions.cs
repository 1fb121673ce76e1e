namespace GatewayAgent.Telemetry;

/// <summary>"Agent:SiteId": the site's name in the MQTT topic tree (gw/v1/{siteId}/...) and its MQTT client id.</summary>
public sealed class AgentSiteOptions
{
    public const string SectionName = "Agent";

    public string? SiteId { get; set; }
}
