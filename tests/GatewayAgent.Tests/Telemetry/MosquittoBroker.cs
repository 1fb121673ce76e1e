namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// Debian's mosquitto configured for the agent tests (process handling: tests/Shared/MosquittoProcess.cs).
/// <see cref="StartAsync(string[])"/>: no anonymous clients, a password file, and the per-site ACL of docs/telemetry.md
/// (a site user X writes only gw/v1/X/# and reads only gw/v1/X/cmd/#; "controller" may do anything); persistence on,
/// so sessions and queued messages survive a stop and start (an outage). <see cref="StartOpenAsync"/> and
/// <see cref="StartWithUserAsync"/>: a plain broker, anonymous or with one user, for the installation and doctor tests.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string ControllerUser = "controller";
    public const string Password = "s3cret-pass";

    private readonly MosquittoProcess _process = MosquittoProcess.Create();
    private int[] _ports = [];

    private MosquittoBroker()
    {
    }

    public int Port => _process.Port;

    /// <summary>The TLS listener's port (when started with TLS).</summary>
    public int TlsPort { get; } = FreePort.Next();

    public string Log => _process.Log;

    public static bool IsInstalled => MosquittoProcess.IsInstalled;

    /// <summary>Starts mosquitto with users "controller" and each of <paramref name="siteUsers"/>, all with <see cref="Password"/>.</summary>
    public static Task<MosquittoBroker> StartAsync(params string[] siteUsers) => StartAsync(siteUsers, null);

    /// <summary>Adds a TLS listener on <see cref="TlsPort"/>: broker certificate from <paramref name="tls"/>, client certificates required (CN = user name).</summary>
    public static Task<MosquittoBroker> StartWithTlsAsync(TestCertificates tls, params string[] siteUsers) => StartAsync(siteUsers, tls);

    /// <summary>Anonymous clients welcome, nothing kept.</summary>
    public static Task<MosquittoBroker> StartOpenAsync() => StartPlainAsync(null, null);

    /// <summary>Only <paramref name="user"/> with <paramref name="password"/> may connect (no ACL), nothing kept.</summary>
    public static Task<MosquittoBroker> StartWithUserAsync(string user, string password) => StartPlainAsync(user, password);

    private static async Task<MosquittoBroker> StartPlainAsync(string? user, string? password)
    {
        var broker = new MosquittoBroker();
        if (user is not null)
        {
            await broker._process.WritePasswordsAsync([new(user, password ?? "")]);
        }

        await broker.StartConfiguredAsync($"""
            listener {broker.Port} 127.0.0.1
            persistence false
            log_dest stderr
            log_type all
            user {Environment.UserName}
            {(user is null ? "allow_anonymous true" : $"allow_anonymous false\npassword_file {broker._process.PasswordFile}")}

            """, broker.Port);
        return broker;
    }

    private static async Task<MosquittoBroker> StartAsync(string[] siteUsers, TestCertificates? tls)
    {
        var broker = new MosquittoBroker();
        var directory = broker._process.Directory;
        var tlsListener = tls is null ? "" : $"""
            listener {broker.TlsPort} 127.0.0.1
            cafile {tls.CaFile}
            certfile {tls.ServerCertificateFile}
            keyfile {tls.ServerKeyFile}
            require_certificate true
            use_identity_as_username true

            """;

        await broker._process.WritePasswordsAsync(siteUsers.Prepend(ControllerUser).Select(user => new KeyValuePair<string, string>(user, Password)));
        await File.WriteAllTextAsync(Path.Combine(directory, "acl"), $"""
            user {ControllerUser}
            topic readwrite #

            pattern write gw/v1/%u/#
            pattern read gw/v1/%u/cmd/#

            """);
        int[] ports = tls is null ? [broker.Port] : [broker.Port, broker.TlsPort];
        await broker.StartConfiguredAsync($"""
            per_listener_settings false
            user {Environment.UserName}
            listener {broker.Port} 127.0.0.1
            allow_anonymous false
            password_file {broker._process.PasswordFile}
            acl_file {Path.Combine(directory, "acl")}
            persistence true
            persistence_location {directory}/
            max_queued_messages 0
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            connection_messages true
            {tlsListener}
            """, ports);
        return broker;
    }

    private async Task StartConfiguredAsync(string configuration, params int[] ports)
    {
        _ports = ports;
        try
        {
            await _process.StartAsync(configuration, ports);
        }
        catch
        {
            await _process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the stopped broker again on the same ports, with what it persisted.</summary>
    public Task StartAgainAsync() => _process.StartAgainAsync(_ports);

    /// <summary>SIGTERM: mosquitto saves its persistence file and exits.</summary>
    public Task StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
