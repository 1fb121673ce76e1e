namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Announces that a site's MQTT credentials are no longer what its live session logged in with (issue 12 item 8): its
/// password was set, its site id moved, or its contract was deleted. The contract store raises it after the commit;
/// the embedded broker disconnects the site's session, so it must log in again with what is stored now.
/// </summary>
public sealed class SiteSessionRevocations
{
    public event Action<string>? Revoked;

    public void Revoke(string siteId) => Revoked?.Invoke(siteId);
}
