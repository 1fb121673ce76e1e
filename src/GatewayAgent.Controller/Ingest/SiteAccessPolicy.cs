using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// The per-site ACL (DESIGN.md "Contracts between the parts"): a site publishes only the documented kinds under its own
/// gw/v1/{siteId}/ (state, telemetry, events, reply/{requester}; never its cmd/ nor any other name), retained only on
/// state (issue 12 item 8), and subscribes only to its own gw/v1/{siteId}/cmd/..., its reply topic
/// ctl/v1/replies/{siteId}/... and the retained state of the contract it serves.
/// </summary>
internal static class SiteAccessPolicy
{
    public static bool MayPublish(string siteId, string topic, bool retain = false) =>
        AgentTopic.TryParse(topic, out var parsed)
        && string.Equals(parsed.SiteId, siteId, StringComparison.Ordinal)
        && parsed.Kind switch
        {
            AgentTopicKind.State or AgentTopicKind.Telemetry or AgentTopicKind.Events => true,
            AgentTopicKind.Reply => parsed.Rest.Length > 0,
            _ => false,
        }
        && (!retain || parsed.Kind == AgentTopicKind.State)
        && !HasWildcard(topic);

    public static bool MaySubscribe(string siteId, string filter, long? contractId)
    {
        var ownCommands = Topics.Command(siteId, string.Empty);
        if (filter.StartsWith(ownCommands, StringComparison.Ordinal))
        {
            var verb = filter[ownCommands.Length..];
            return verb is "#" or "+" || (verb.Length > 0 && !HasWildcard(verb) && !verb.Contains('/', StringComparison.Ordinal));
        }

        var replies = Topics.Replies(siteId);
        if (filter == replies || filter == replies + "/#" || (filter.StartsWith(replies + "/", StringComparison.Ordinal) && !HasWildcard(filter)))
        {
            return true;
        }

        return contractId is long id && filter == Topics.ContractState(id);
    }

    private static bool HasWildcard(string topic) => topic.AsSpan().IndexOfAny('+', '#') >= 0;
}
