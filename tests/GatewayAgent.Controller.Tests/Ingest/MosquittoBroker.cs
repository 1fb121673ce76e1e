using System.Diagnostics;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// A real mosquitto (/usr/sbin/mosquitto) on a free loopback port, configured as docs/ingest.md says for external
/// mode: no anonymous access, a password file made with mosquitto_passwd, and the per-site pattern ACL.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly string _directory;
    private Process? _process;

    private MosquittoBroker(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConfigFile => Path.Combine(_directory, "mosquitto.conf");

    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> users)
    {
        var directory = Directory.CreateTempSubdirectory("ingest-mosquitto-").FullName;
        var broker = new MosquittoBroker(directory, FreePort.Next());
        var passwordFile = Path.Combine(directory, "passwd");
        await File.WriteAllTextAsync(passwordFile, string.Empty);
        foreach (var (user, password) in users)
        {
            await RunAsync("mosquitto_passwd", "-b", passwordFile, user, password);
        }

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
        await File.WriteAllTextAsync(broker.ConfigFile, $"""
            per_listener_settings false
            allow_anonymous false
            password_file {passwordFile}
            acl_file {Path.Combine(directory, "acl")}
            persistence false
            max_queued_messages 100000
            log_dest stdout
            log_type error
            log_type warning
            log_type notice
            listener {broker.Port} 127.0.0.1
            """);
        // Started as root, mosquitto drops to the "mosquitto" user, which must still read these files.
        if (!OperatingSystem.IsWindows())
        {
            MakeReadable(directory);
        }

        try
        {
            await broker.StartProcessAsync();
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeReadable(string directory)
    {
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in Directory.GetFiles(directory))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    /// <summary>Freezes the broker (SIGSTOP) as a stalled host would: clients keep sending into its socket buffers.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen broker run again (SIGCONT): it then works through everything that piled up at once.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    private Task SignalAsync(string signal) =>
        RunAsync("kill", signal, (_process ?? throw new InvalidOperationException("mosquitto is not running")).Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Kills the broker (as a crash would) and starts it again on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopProcessAsync();
        await StartProcessAsync();
    }

    public async Task StopProcessAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
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
        await StopProcessAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task StartProcessAsync()
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(Executable, ["-c", ConfigFile])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
        };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += onLine;
        process.OutputDataReceived += onLine;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        // mosquitto block-buffers its log into a pipe, so readiness is "the listener accepts a connection".
        using var deadline = new CancellationTokenSource(IngestTestHost.Timeout);
        while (true)
        {
            if (process.HasExited || deadline.IsCancellationRequested)
            {
                await StopProcessAsync();
                throw new InvalidOperationException("mosquitto did not start: " + string.Join(" | ", output));
            }

            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error}");
        }
    }
}
