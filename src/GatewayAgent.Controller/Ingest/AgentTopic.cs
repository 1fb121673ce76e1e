using GatewayAgent.Contracts;

namespace GatewayAgent.Controller.Ingest;

/// <summary>An agent topic split into its site id and kind: gw/v1/{siteId}/state|telemetry|events|cmd/{verb}|reply/{node}.</summary>
internal readonly record struct AgentTopic(string SiteId, AgentTopicKind Kind, string Rest)
{
    public const string ReplySegment = "reply";

    /// <summary>Where a site's replies to this controller node go (inside the site's own tree, so any ACL allows it).</summary>
    public static string ReplyTopic(string siteId, string nodeId) => $"{Topics.AgentRoot}/{siteId}/{ReplySegment}/{nodeId}";

    public static bool TryParse(string topic, out AgentTopic parsed)
    {
        parsed = default;
        var siteId = Topics.SiteIdOf(topic);
        if (siteId is null)
        {
            return false;
        }

        var rest = topic[(Topics.AgentRoot.Length + siteId.Length + 2)..];
        var slash = rest.IndexOf('/');
        var head = slash < 0 ? rest : rest[..slash];
        var tail = slash < 0 ? string.Empty : rest[(slash + 1)..];
        var kind = (head, slash < 0) switch
        {
            ("state", true) => AgentTopicKind.State,
            ("telemetry", true) => AgentTopicKind.Telemetry,
            ("events", true) => AgentTopicKind.Events,
            ("cmd", false) => AgentTopicKind.Command,
            (ReplySegment, false) => AgentTopicKind.Reply,
            _ => AgentTopicKind.Other,
        };
        parsed = new AgentTopic(siteId, kind, tail);
        return true;
    }
}
