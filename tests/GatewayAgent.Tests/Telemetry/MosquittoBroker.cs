using System.Collections.Concurrent;
using System.Diagnostics;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// Debian's mosquitto on a free loopback port with a generated configuration: no anonymous clients, a password file
/// made by mosquitto_passwd, and the per-site ACL of docs/telemetry.md (a site user X writes only gw/v1/X/# and reads
/// only gw/v1/X/cmd/#; "controller" may do anything). Persistence is on, so sessions and queued messages survive a
/// restart (an outage).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    public const string ControllerUser = "controller";
    public const string Password = "s3cret-pass";

    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private MosquittoBroker(int port) => Port = port;

    public int Port { get; }

    public string Log => string.Join('\n', _log);

    public static bool IsInstalled => File.Exists(Executable);

    /// <summary>Starts mosquitto with users "controller" and each of <paramref name="siteUsers"/>, all with <see cref="Password"/>.</summary>
    public static async Task<MosquittoBroker> StartAsync(params string[] siteUsers)
    {
        var broker = new MosquittoBroker(FreePort.Next());
        var passwd = Path.Combine(broker._dir.Path, "passwd");
        foreach (var (user, i) in siteUsers.Prepend(ControllerUser).Select((u, i) => (u, i)))
        {
            await RunAsync("mosquitto_passwd", i == 0 ? ["-b", "-c", passwd, user, Password] : ["-b", passwd, user, Password]);
        }

        await File.WriteAllTextAsync(Path.Combine(broker._dir.Path, "acl"), $"""
            user {ControllerUser}
            topic readwrite #

            pattern write gw/v1/%u/#
            pattern read gw/v1/%u/cmd/#

            """);
        await File.WriteAllTextAsync(Path.Combine(broker._dir.Path, "mosquitto.conf"), $"""
            per_listener_settings false
            user {Environment.UserName}
            listener {broker.Port} 127.0.0.1
            allow_anonymous false
            password_file {passwd}
            acl_file {Path.Combine(broker._dir.Path, "acl")}
            persistence true
            persistence_location {broker._dir.Path}/
            max_queued_messages 0
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            connection_messages true

            """);
        await broker.StartAgainAsync();
        return broker;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(_dir.Path, "mosquitto.conf"));
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            _log.Enqueue(line);
            if (line.Contains(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException("mosquitto exited:\n" + Log));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        // Logged once every listener is open.
        await running.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGTERM: mosquitto saves its persistence file and exits.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                await RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            process.Dispose();
        }
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await process.StandardError.ReadToEndAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}
