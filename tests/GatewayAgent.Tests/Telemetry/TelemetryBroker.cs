namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// Debian's mosquitto configured for the agent tests as docs/telemetry.md says: no anonymous clients, a password file,
/// and the per-site ACL (a site user X writes only gw/v1/X/# and reads only gw/v1/X/cmd/#; "controller" may do
/// anything); persistence on, so sessions and queued messages survive a stop and start (an outage). The broker
/// process: GatewayAgent.Testing's MosquittoBroker.
/// </summary>
public static class TelemetryBroker
{
    public const string ControllerUser = "controller";
    public const string Password = "s3cret-pass";

    public const string Acl = $"""
        user {ControllerUser}
        topic readwrite #

        pattern write gw/v1/%u/#
        pattern read gw/v1/%u/cmd/#

        """;

    /// <summary>Starts mosquitto with users "controller" and each of <paramref name="siteUsers"/>, all with <see cref="Password"/>.</summary>
    public static Task<MosquittoBroker> StartAsync(params string[] siteUsers) =>
        MosquittoBroker.StartWithAclAsync(Users(siteUsers), Acl, persistence: true);

    /// <summary>Adds a TLS listener on the broker's TlsPort: certificates from <paramref name="tls"/>, client certificates required (CN = user name).</summary>
    public static Task<MosquittoBroker> StartWithTlsAsync(TestCertificates tls, params string[] siteUsers) =>
        MosquittoBroker.StartWithAclAsync(Users(siteUsers), Acl, persistence: true,
            new MosquittoTls(tls.CaFile, tls.ServerCertificateFile, tls.ServerKeyFile));

    private static IEnumerable<KeyValuePair<string, string>> Users(string[] siteUsers) =>
        siteUsers.Prepend(ControllerUser).Select(user => new KeyValuePair<string, string>(user, Password));
}
