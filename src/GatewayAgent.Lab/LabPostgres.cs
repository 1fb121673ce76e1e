using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GatewayAgent.Lab;

/// <summary>
/// The lab's own PostgreSQL cluster for --nodes, made the way the tests' PostgresCluster fixture makes theirs: initdb
/// into DIR/postgres/data (kept between runs, like the rest of the lab's data; --fresh starts over), pg_ctl start on
/// 127.0.0.1 and a free port (or --pg-port), trust authentication for the postgres user, as the postgres OS user when
/// the lab runs as root (postgres refuses to run as root). The nodes and the edge share the database "gateway".
/// pg_ctl runs the server in the background: the lab stops it when it stops (a SIGKILLed lab leaves it running; the
/// next start stops it first).
/// </summary>
public sealed class LabPostgres
{
    public const string Database = "gateway";

    private readonly string _root;
    private readonly string _bin;

    private LabPostgres(string root, string bin, int port)
    {
        _root = root;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The nodes' Npgsql connection string (ConnectionStrings:Controller).</summary>
    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={Database};Maximum Pool Size=20";

    /// <summary>The edge's DBURL (kamailio db_postgres).</summary>
    public string EdgeUrl => $"postgres://postgres@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{Database}";

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The bin directory holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory
    {
        get
        {
            const string Root = "/usr/lib/postgresql";
            return !Directory.Exists(Root)
                ? null
                : Directory.GetDirectories(Root)
                    .Select(version => Path.Combine(version, "bin"))
                    .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                    .OrderByDescending(bin => bin, StringComparer.Ordinal)
                    .FirstOrDefault();
        }
    }

    /// <summary>Creates the cluster in <paramref name="root"/> when it is not there, starts it and creates the database.</summary>
    public static async Task<LabPostgres> StartAsync(string root, int port, CancellationToken cancellationToken)
    {
        var bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL (initdb, pg_ctl) is missing: install postgresql (./run.sh --nodes does)");
        Directory.CreateDirectory(root);
        var postgres = new LabPostgres(root, bin, port == 0 ? FreePort() : port);
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root], cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(postgres.DataDirectory, "PG_VERSION")))
        {
            await postgres.PgAsync("initdb", ["-D", postgres.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], cancellationToken).ConfigureAwait(false);
        }
        else if (File.Exists(Path.Combine(postgres.DataDirectory, "postmaster.pid")))
        {
            // A lab killed without stopping its server: stop it (ignoring "not running").
            try
            {
                await postgres.PgAsync("pg_ctl", ["-D", postgres.DataDirectory, "-m", "immediate", "-w", "stop"], cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
            }
        }

        await postgres.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        await using var admin = new NpgsqlConnection(postgres.ConnectionString.Replace($"Database={Database}", "Database=postgres", StringComparison.Ordinal));
        await admin.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", admin);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return postgres;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port; returns once it accepts connections.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken) =>
        PgAsync("pg_ctl",
        [
            "-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_root, "server.log"),
            "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ], cancellationToken);

    /// <summary>Stops the server (fast: open connections are closed, as in a restart of the database host's service).</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], cancellationToken);

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string program, string[] arguments, CancellationToken cancellationToken) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. arguments], cancellationToken)
            : RunAsync(Path.Combine(_bin, program), arguments, cancellationToken);

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {(await output.ConfigureAwait(false)).Trim()} {(await error.ConfigureAwait(false)).Trim()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
