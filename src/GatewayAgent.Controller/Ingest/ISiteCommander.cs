using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>Sends a command to a site's agent (gw/v1/{siteId}/cmd/{verb}) as an MQTT 5 request and waits for its reply.</summary>
public interface ISiteCommander
{
    /// <exception cref="TimeoutException">The agent did not reply within <paramref name="timeout"/>.</exception>
    Task<CommandReply> SendAsync(string siteId, string verb, TimeSpan timeout, CancellationToken cancellationToken);
}
