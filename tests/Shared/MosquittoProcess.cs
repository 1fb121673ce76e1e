using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GatewayAgent.Testing;

/// <summary>
/// Debian's mosquitto (/usr/sbin/mosquitto) as a child process: a private folder for its configuration, password
/// file and persistence, a free loopback port, start (ready once its listeners accept connections), graceful stop
/// (SIGTERM: mosquitto saves its persistence file), crash (SIGKILL) and start again with the same configuration.
/// What the configuration says (users, ACL, TLS, persistence) is the caller's: see the brokers of the test projects.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private MosquittoProcess(string directory, int port)
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

    /// <summary>What mosquitto wrote to stdout and stderr, over all its runs.</summary>
    public string Log => string.Join('\n', _log);

    public static MosquittoProcess Create() =>
        new(System.IO.Directory.CreateTempSubdirectory("mosquitto-").FullName, FreePort.Next());

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
        foreach (var port in ports.Length == 0 ? [Port] : ports)
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

    private Task SignalAsync(string signal) =>
        Tool.CheckedAsync("kill", [signal, (_process ?? throw new InvalidOperationException("mosquitto is not running")).Id.ToString(CultureInfo.InvariantCulture)]);

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
