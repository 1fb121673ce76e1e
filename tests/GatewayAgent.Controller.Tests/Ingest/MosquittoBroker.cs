namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// A real mosquitto configured as docs/ingest.md says for external mode: no anonymous access, a password file made
/// with mosquitto_passwd, the per-site pattern ACL, and max_queued_messages raised (process handling:
/// tests/Shared/MosquittoProcess.cs).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoProcess _process = MosquittoProcess.Create();

    private MosquittoBroker()
    {
    }

    public int Port => _process.Port;

    public string ConfigFile => _process.ConfigFile;

    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> users)
    {
        var broker = new MosquittoBroker();
        var directory = broker._process.Directory;
        try
        {
            await broker._process.WritePasswordsAsync(users);
            await File.WriteAllTextAsync(Path.Combine(directory, "acl"), $"""
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
                """);
            await broker._process.StartAsync($"""
                per_listener_settings false
                allow_anonymous false
                password_file {broker._process.PasswordFile}
                acl_file {Path.Combine(directory, "acl")}
                persistence false
                max_queued_messages 100000
                log_dest stdout
                log_type error
                log_type warning
                log_type notice
                listener {broker.Port} 127.0.0.1
                """);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    /// <summary>Freezes the broker (SIGSTOP) as a stalled host would: clients keep sending into its socket buffers.</summary>
    public Task FreezeAsync() => _process.FreezeAsync();

    /// <summary>Lets a frozen broker run again (SIGCONT): it then works through everything that piled up at once.</summary>
    public Task ThawAsync() => _process.ThawAsync();

    /// <summary>Kills the broker (as a crash would) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await _process.KillAsync();
        await _process.StartAgainAsync();
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
