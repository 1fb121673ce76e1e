namespace GatewayAgent.Contracts;

/// <summary>
/// The MQTT topic tree shared by agent and controller (DESIGN.md "Contracts between the parts"). Version 1.
/// A site publishes only under <c>gw/v1/{siteId}/</c> and reads only its own <c>cmd/</c>.
/// </summary>
public static class Topics
{
    public const string AgentRoot = "gw/v1";
    public const string ControllerRoot = "ctl/v1";

    /// <summary>Retained, QoS 1: the birth (<see cref="AgentState"/> online) and the Last Will (offline).</summary>
    public static string State(string siteId) => $"{AgentRoot}/{siteId}/state";

    /// <summary>Periodic <see cref="TelemetrySnapshot"/>.</summary>
    public static string Telemetry(string siteId) => $"{AgentRoot}/{siteId}/telemetry";

    /// <summary>QoS 1 <see cref="AgentEvent"/> records.</summary>
    public static string Events(string siteId) => $"{AgentRoot}/{siteId}/events";

    /// <summary>Controller → agent command; the reply goes to the MQTT 5 response topic with the correlation data.</summary>
    public static string Command(string siteId, string verb) => $"{AgentRoot}/{siteId}/cmd/{verb}";

    /// <summary>
    /// Where a requester (the controller) asks a site's command replies to go: inside the site's own tree, because a
    /// site may publish only under <c>gw/v1/{siteId}/</c> (the broker ACL).
    /// </summary>
    public static string Reply(string siteId, string requesterId) => $"{AgentRoot}/{siteId}/reply/{requesterId}";

    /// <summary>Filter an agent subscribes to for its commands.</summary>
    public static string CommandFilter(string siteId) => $"{AgentRoot}/{siteId}/cmd/+";

    /// <summary>Where an agent asks command replies to go when it is itself the requester (not used by the controller).</summary>
    public static string Replies(string clientId) => $"{ControllerRoot}/replies/{clientId}";

    /// <summary>Retained detector state and forwarding switch of one contract, for dashboards.</summary>
    public static string ContractState(long contractId) => $"{ControllerRoot}/contracts/{contractId}/state";

    /// <summary>The site id in an agent topic (<c>gw/v1/{siteId}/...</c>), or null when the topic is not one.</summary>
    public static string? SiteIdOf(string topic)
    {
        var prefix = AgentRoot + "/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = topic.IndexOf('/', prefix.Length);
        return end <= prefix.Length ? null : topic[prefix.Length..end];
    }

    /// <summary>A site id is 1-64 characters of [A-Za-z0-9_-]: safe as one topic level and as an MQTT client id.</summary>
    public static bool IsValidSiteId(string? siteId) =>
        !string.IsNullOrEmpty(siteId) && siteId.Length <= 64 && siteId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
