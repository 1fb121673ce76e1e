using System.Collections.Concurrent;
using System.Diagnostics;

namespace GatewayAgent.Testing;

/// <summary>
/// A real kamailio (Debian package) on 127.0.0.1, started in the foreground from a config template: @LISTEN_PORT@ is
/// replaced by a free port, any other placeholder by the caller's value. Templates: the agent tests' registrar
/// (GatewayAgent.Tests/Kamailio/kamailio.cfg: user agent1, realm gateway.test, digest auth) and the controller tests'
/// outbound proxy (GatewayAgent.Controller.Tests/Probing/Kamailio/proxy.cfg).
/// </summary>
public sealed class KamailioProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly DirectoryInfo _runDir;

    private KamailioProcess(Process process, DirectoryInfo runDir, int port, int rpcPort = 0)
    {
        _process = process;
        _runDir = runDir;
        Port = port;
        RpcPort = rpcPort;
    }

    /// <summary>The SIP port on 127.0.0.1 (UDP, and TCP for the edge).</summary>
    public int Port { get; }

    /// <summary>The edge's JSON-RPC port (0 for a template config).</summary>
    public int RpcPort { get; }

    /// <summary>The edge's JSON-RPC URL, as the controller's Controller:Edge:RpcUrls takes it.</summary>
    public string RpcUrl => $"http://127.0.0.1:{RpcPort}/RPC";

    /// <summary>The process id (to stop or kill it from a test).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _lines);

    public static bool IsInstalled => File.Exists("/usr/sbin/kamailio");

    /// <summary>Starts kamailio from <paramref name="template"/> (a path) with its placeholders filled in.</summary>
    public static async Task<KamailioProcess> StartAsync(string template, IReadOnlyDictionary<string, string>? placeholders = null)
    {
        var port = FreePort.Next();
        var runDir = Directory.CreateTempSubdirectory("kamailio-");
        var text = (await File.ReadAllTextAsync(template)).Replace("@LISTEN_PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in placeholders ?? new Dictionary<string, string>())
        {
            text = text.Replace(name, value);
        }

        var config = Path.Combine(runDir.FullName, "kamailio.cfg");
        await File.WriteAllTextAsync(config, text);
        return await LaunchAsync(config, runDir, port, 0, []);
    }

    /// <summary>The repository's edge configuration (edge/kamailio/kamailio.cfg), found above the test binaries.</summary>
    public static string EdgeConfig
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "edge", "kamailio", "kamailio.cfg");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("edge/kamailio/kamailio.cfg not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Starts the carrier edge (the repository's config, unchanged) on free SIP and JSON-RPC ports, reading its tables from
    /// the controller's SQLite file <paramref name="database"/>, or from PostgreSQL when it is a postgres:// URL
    /// (WITH_POSTGRES); <paramref name="defines"/> are extra -A NAME=VALUE
    /// (string values quoted by the caller, e.g. ["DESTINATION_HOP", "\"sip:127.0.0.1:5090\""]).
    /// kamailio's db_sqlite has no busy timeout, so a start that meets the controller's write lock while it loads the
    /// tables ("database is locked") is tried again, as systemd's Restart=on-failure does for a deployed node.
    /// </summary>
    public static async Task<KamailioProcess> StartEdgeAsync(string database, IReadOnlyDictionary<string, string>? defines = null, int? port = null, int? rpcPort = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartEdgeOnceAsync(database, defines, port, rpcPort);
            }
            catch (InvalidOperationException ex) when (attempt < 5 && ex.Message.Contains("database is locked", StringComparison.Ordinal))
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    private static Task<KamailioProcess> StartEdgeOnceAsync(string database, IReadOnlyDictionary<string, string>? defines, int? port, int? rpcPort)
    {
        var sip = port ?? FreePort.Next();
        var rpc = rpcPort ?? FreePort.Next();
        var runDir = Directory.CreateTempSubdirectory("kamailio-edge-");
        var arguments = new List<string>
        {
            "-l", $"udp:127.0.0.1:{sip}", "-l", $"tcp:127.0.0.1:{sip}", "-l", $"tcp:127.0.0.1:{rpc}",
            "-A", $"RPC_PORT={rpc}", "-A", "WORKERS=2", "-A", "WITHOUT_LOCAL_CFG",
        };
        if (database.StartsWith("postgres://", StringComparison.Ordinal))
        {
            arguments.AddRange(["-A", "WITH_POSTGRES", "-A", $"DBURL=\"{database}\""]);
        }
        else
        {
            arguments.AddRange(["-A", $"DBURL=\"sqlite:///{Path.GetFullPath(database)}\""]);
        }
        foreach (var (name, value) in defines ?? new Dictionary<string, string>())
        {
            arguments.Add("-A");
            arguments.Add($"{name}={value}");
        }

        return LaunchAsync(EdgeConfig, runDir, sip, rpc, arguments);
    }

    private static async Task<KamailioProcess> LaunchAsync(string config, DirectoryInfo runDir, int port, int rpcPort, IReadOnlyList<string> extra)
    {
        var pidFile = Path.Combine(runDir.FullName, "kamailio.pid");
        var info = new ProcessStartInfo("/usr/sbin/kamailio")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = runDir.FullName,
        };
        foreach (var a in new[] { "-f", config, "-DD", "-E", "-Y", runDir.FullName, "-P", pidFile, "-w", runDir.FullName, "-m", "64", "-M", "8" }.Concat(extra))
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        var kamailio = new KamailioProcess(process, runDir, port, rpcPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) kamailio._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) kamailio._lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100 && !(File.Exists(pidFile) && new FileInfo(pidFile).Length > 0); i++)
        {
            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        if (process.HasExited || !File.Exists(pidFile))
        {
            var output = kamailio.Output;
            await kamailio.DisposeAsync();
            throw new InvalidOperationException("kamailio did not start:\n" + output);
        }

        return kamailio;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _runDir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
