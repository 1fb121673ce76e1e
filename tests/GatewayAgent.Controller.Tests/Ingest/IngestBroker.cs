namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// A real mosquitto configured as docs/ingest.md says for external mode: no anonymous access, a password file made
/// with mosquitto_passwd and the per-site pattern ACL (the broker process: GatewayAgent.Testing's MosquittoBroker).
/// </summary>
public static class IngestBroker
{
    public const string Acl = $"""
        # The controller account reads and writes both trees.
        user {IngestTestHost.ControllerUser}
        topic readwrite gw/v1/#
        topic readwrite ctl/v1/#

        # Every other account is a site: username = site id.
        pattern write gw/v1/%u/state
        pattern write gw/v1/%u/telemetry
        pattern write gw/v1/%u/events
        pattern write gw/v1/%u/reply/#
        pattern read gw/v1/%u/cmd/#
        pattern read ctl/v1/replies/%u/#

        """;

    public static Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> users) => MosquittoBroker.StartWithAclAsync(users, Acl);
}
