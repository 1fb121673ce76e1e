namespace GatewayAgent.Controller.Ingest;

/// <summary>Sites known to the controller: MQTT credentials per site and the contract each site serves.</summary>
public interface ISiteDirectory
{
    /// <summary>True when <paramref name="password"/> is this site's MQTT password (username = site id).</summary>
    ValueTask<bool> AuthenticateAsync(string siteId, string password, CancellationToken cancellationToken);

    /// <summary>The contract whose probe target is this site's agent, if any.</summary>
    ValueTask<long?> FindContractAsync(string siteId, CancellationToken cancellationToken);
}
