using System.Globalization;
using System.Text;

namespace GatewayAgent.Lab;

/// <summary>
/// The carrier edge of the lab: kamailio in the foreground on edge/kamailio/kamailio.cfg (see its header), listening on
/// udp and tcp 127.0.0.1:EDGEPORT for SIP and tcp 127.0.0.1:RPCPORT for the controller's JSON-RPC, reading its routing
/// tables from the controller's SQLite database (or, with --nodes, the lab's PostgreSQL), forwarding to the destination phone. Its output goes to a log file.
/// kamailio does not watch a pipe as our hosts do, so it is started through setpriv --pdeathsig TERM from a thread that
/// lives as long as the edge: if the lab dies (SIGKILL, a crash) the kernel sends kamailio SIGTERM (PR_SET_PDEATHSIG
/// follows the thread that forked it, hence the dedicated thread), and kamailio stops its workers and exits.
/// </summary>
public sealed class EdgeProcess : IAsyncDisposable
{
    /// <summary>The digest realm the sites register in (the edge's REALM, the controller's Controller:Edge:Realm).</summary>
    public const string Realm = "gateway.edge";

    public const string Kamailio = "/usr/sbin/kamailio";

    private const string Setpriv = "/usr/bin/setpriv";
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _process;
    private readonly TaskCompletionSource _release;

    private EdgeProcess(ChildProcess process, TaskCompletionSource release)
    {
        _process = process;
        _release = release;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The kamailio command line (after the program), as the lab runs it; <paramref name="database"/> is the SQLite file or
    /// (--nodes) the PostgreSQL database as postgres://user@host:port/db.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string config, string runDirectory, string database, LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var edge = options.EdgePort.ToString(CultureInfo.InvariantCulture);
        var rpc = options.EdgeRpcPort.ToString(CultureInfo.InvariantCulture);
        return
        [
            "-f", config, "-DD", "-E",
            "-Y", runDirectory, "-P", Path.Combine(runDirectory, "kamailio.pid"), "-w", runDirectory,
            "-m", "64", "-M", "8",
            "-l", $"udp:127.0.0.1:{edge}", "-l", $"tcp:127.0.0.1:{edge}", "-l", $"tcp:127.0.0.1:{rpc}",
            .. Postgres(database) ? (string[])["-A", $"DBURL=\"{database}\"", "-A", "WITH_POSTGRES"] : ["-A", $"DBURL=\"sqlite:///{database}\""],
            "-A", $"RPC_PORT={rpc}",
            "-A", $"DESTINATION_HOP=\"sip:127.0.0.1:{options.DestinationPort.ToString(CultureInfo.InvariantCulture)}\"",
            "-A", $"REALM=\"{Realm}\"",
            // SS-3: the access number goes to the controller's IVR
            "-A", $"IVR_HOP=\"sip:127.0.0.1:{options.IvrPort.ToString(CultureInfo.InvariantCulture)}\"",
            "-A", $"ACCESS_NUMBER=\"{LabOptions.AccessNumber}\"",
            // a deployed node's /etc/kamailio/gateway-edge.local.cfg must not leak into the lab
            "-A", "WITHOUT_LOCAL_CFG",
        ];
    }

    private static bool Postgres(string database) => database.StartsWith("postgres://", StringComparison.Ordinal);

    /// <summary>Starts tried when kamailio met a locked database while loading its tables.</summary>
    private const int LockedStartAttempts = 5;

    /// <summary>
    /// Starts kamailio and returns once its JSON-RPC answers (its SIP listeners are bound by then). kamailio's db_sqlite
    /// has no busy timeout: a start that meets the controller's write lock ("database is locked" while the tables load)
    /// is tried again, a few times (docs/routing.md).
    /// </summary>
    public static async Task<EdgeProcess> StartAsync(string config, string runDirectory, string database, string logFile, LabOptions options,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(config, runDirectory, database, logFile, options, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex) when (attempt < LockedStartAttempts && ex.Message.Contains("database is locked", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<EdgeProcess> StartOnceAsync(string config, string runDirectory, string database, string logFile, LabOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(Kamailio))
        {
            throw new InvalidOperationException($"{Kamailio} is missing: install kamailio and kamailio-sqlite-modules (./run.sh does)");
        }

        Directory.CreateDirectory(runDirectory);
        var arguments = Arguments(config, runDirectory, database, options);
        var (program, command) = File.Exists(Setpriv)
            ? (Setpriv, (IReadOnlyList<string>)["--pdeathsig", "TERM", "--", Kamailio, .. arguments])
            : (Kamailio, arguments);

        var started = new TaskCompletionSource<ChildProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        var parent = new Thread(() =>
        {
            try
            {
                started.SetResult(ChildProcess.StartProgram("kamailio (edge)", program, command, logFile));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
                return;
            }

            release.Task.Wait();
        })
        {
            IsBackground = true,
            Name = "edge parent",
        };
        parent.Start();
        var edge = new EdgeProcess(await started.Task.ConfigureAwait(false), release);
        try
        {
            await edge.WaitUntilReadyAsync(options.EdgeRpcPort, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await edge.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return edge;
    }

    private async Task WaitUntilReadyAsync(int rpcPort, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var url = new Uri($"http://127.0.0.1:{rpcPort.ToString(CultureInfo.InvariantCulture)}/RPC");
        var deadline = DateTime.UtcNow + StartBound;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("kamailio (edge) exited at start; its last output:\n" + _process.RecentOutput);
            }

            try
            {
                using var body = new StringContent("""{"jsonrpc":"2.0","method":"core.uptime","id":1}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(url, body, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"kamailio (edge) did not answer JSON-RPC on {url} within {StartBound.TotalSeconds:0} s; its last output:\n" +
                                                    _process.RecentOutput);
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM (kamailio stops its workers), a kill after the grace time; then the parent thread ends.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        _release.TrySetResult();
    }
}
