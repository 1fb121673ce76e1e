using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Testing;

/// <summary>
/// Debian's mosquitto (/usr/sbin/mosquitto) as a child process: a private folder for its configuration, password
/// file, ACL and persistence, a free loopback port, start (ready once its listeners accept connections), graceful stop
/// (SIGTERM: mosquitto saves its persistence file), freeze/thaw (SIGSTOP/SIGCONT), crash (SIGKILL) and start again
/// with the same configuration. The product's ACLs are the callers': the controller tests' IngestBroker
/// (docs/ingest.md) and the agent tests' TelemetryBroker (docs/telemetry.md).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private int[] _ports = [];

    private MosquittoBroker(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>The private folder: mosquitto.conf, passwd, acl, persistence; readable by the mosquitto user.</summary>
    public string Directory { get; }

    /// <summary>The plain listener's port (free when created); the configuration must use it.</summary>
    public int Port { get; }

    public string ConfigFile => Path.Combine(Directory, "mosquitto.conf");

    public string PasswordFile => Path.Combine(Directory, "passwd");

    public string AclFile => Path.Combine(Directory, "acl");

    /// <summary>The TLS listener's port (free when created; used when started with TLS).</summary>
    public int TlsPort { get; } = FreePort.Next();

    /// <summary>What mosquitto wrote to stdout and stderr, over all its runs.</summary>
    public string Log => string.Join('\n', _log);

    public static MosquittoBroker Create() =>
        new(System.IO.Directory.CreateTempSubdirectory("mosquitto-").FullName, FreePort.Next());

    /// <summary>Anonymous clients welcome, nothing kept.</summary>
    public static Task<MosquittoBroker> StartOpenAsync() => StartPlainAsync(null, null);

    /// <summary>Only <paramref name="user"/> with <paramref name="password"/> may connect (no ACL), nothing kept.</summary>
    public static Task<MosquittoBroker> StartWithUserAsync(string user, string password) => StartPlainAsync(user, password);

    /// <summary>
    /// No anonymous clients; max_queued_messages raised to 100000 (not 0, "no limit": with it, mosquitto 2.0.11 drops
    /// the connection of a client whose publish the ACL refuses instead of answering "not authorized");
    /// <paramref name="users"/> in a password file; <paramref name="acl"/> as the ACL file;
    /// persistence when asked (sessions and queued messages survive a stop and start); a TLS listener on
    /// <see cref="TlsPort"/> when <paramref name="tls"/> is given (client certificates required, CN = user name).
    /// </summary>
    public static async Task<MosquittoBroker> StartWithAclAsync(IEnumerable<KeyValuePair<string, string>> users, string acl,
        bool persistence = false, MosquittoTls? tls = null)
    {
        var broker = Create();
        try
        {
            await broker.WritePasswordsAsync(users);
            await File.WriteAllTextAsync(broker.AclFile, acl);
            var tlsListener = tls is null ? "" : $"""
                listener {broker.TlsPort} 127.0.0.1
                cafile {tls.CaFile}
                certfile {tls.CertificateFile}
                keyfile {tls.KeyFile}
                require_certificate true
                use_identity_as_username true

                """;
            var persist = persistence ? $"persistence true\npersistence_location {broker.Directory}/" : "persistence false";
            int[] ports = tls is null ? [broker.Port] : [broker.Port, broker.TlsPort];
            await broker.StartAsync($"""
                per_listener_settings false
                user {Environment.UserName}
                listener {broker.Port} 127.0.0.1
                allow_anonymous false
                password_file {broker.PasswordFile}
                acl_file {broker.AclFile}
                {persist}
                max_queued_messages 100000
                log_dest stderr
                log_type error
                log_type warning
                log_type notice
                log_type information
                connection_messages true
                {tlsListener}
                """, ports);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    private static async Task<MosquittoBroker> StartPlainAsync(string? user, string? password)
    {
        var broker = Create();
        try
        {
            if (user is not null)
            {
                await broker.WritePasswordsAsync([new(user, password ?? "")]);
            }

            await broker.StartAsync($"""
                listener {broker.Port} 127.0.0.1
                persistence false
                log_dest stderr
                log_type all
                user {Environment.UserName}
                {(user is null ? "allow_anonymous true" : $"allow_anonymous false\npassword_file {broker.PasswordFile}")}

                """);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    /// <summary>Writes <see cref="PasswordFile"/> with these users (mosquitto_passwd hashes the passwords).</summary>
    public async Task WritePasswordsAsync(IEnumerable<KeyValuePair<string, string>> users)
    {
        await File.WriteAllTextAsync(PasswordFile, string.Empty);
        foreach (var (user, password) in users)
        {
            await Tool.CheckedAsync("mosquitto_passwd", ["-b", PasswordFile, user, password]);
        }
    }

    /// <summary>Writes <see cref="ConfigFile"/> and starts mosquitto; returns once every port in <paramref name="ports"/> (default <see cref="Port"/>) accepts.</summary>
    public async Task StartAsync(string configuration, params int[] ports)
    {
        await File.WriteAllTextAsync(ConfigFile, configuration);
        await StartAgainAsync(ports);
    }

    /// <summary>Starts mosquitto again with the configuration already written (after a stop or a crash), on the same ports.</summary>
    public async Task StartAgainAsync(params int[] ports)
    {
        ports = ports.Length > 0 ? ports : _ports.Length > 0 ? _ports : [Port];
        _ports = ports;
        if (!OperatingSystem.IsWindows())
        {
            // Started as root, mosquitto drops to its own user unless the configuration says "user root"; either way it
            // must read these files.
            MakeReadable(Directory);
        }

        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ConfigFile);
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // mosquitto block-buffers its log into a pipe: readiness is "every listener accepts a connection".
        using var deadline = new CancellationTokenSource(StartTimeout);
        foreach (var port in ports)
        {
            while (true)
            {
                if (process.HasExited || deadline.IsCancellationRequested)
                {
                    await KillAsync();
                    throw new InvalidOperationException($"mosquitto did not start (port {port}):\n{Log}");
                }

                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                    break;
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    await Task.Delay(20, CancellationToken.None); // waits for mosquitto's socket, not for a timer under test
                }
            }
        }
    }

    /// <summary>SIGTERM, as systemd stops it: mosquitto saves its persistence file and exits (killed after 10 s).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is not { } process)
        {
            return;
        }

        await ProcessStop.TerminateAsync(process, TimeSpan.FromSeconds(10));
        process.Dispose();
    }

    /// <summary>SIGSTOP, as a stalled host: clients keep sending into its socket buffers.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>SIGCONT: a frozen broker works through everything that piled up at once.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("mosquitto is not running");
        Assert.True(await ProcessStop.SignalAsync(process.Id, signal.TrimStart('-')), $"kill {signal} {process.Id} failed");
    }

    /// <summary>Kills the broker (as a crash would) and starts it again on the same ports.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        await StartAgainAsync();
    }

    /// <summary>SIGKILL, as a crash: nothing saved.</summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadable(string directory)
    {
        const UnixFileMode All = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                                 UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(directory, All);
        foreach (var file in System.IO.Directory.GetFiles(directory))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
