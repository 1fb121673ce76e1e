using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>
/// A private PostgreSQL cluster in a temp directory on a free loopback port, started on first use (initdb + pg_ctl,
/// as the postgres OS user when the tests run as root, since postgres refuses to run as root). Each caller gets its
/// own fresh database.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private string? _directory;
    private int _port;
    private int _databases;

    /// <summary>The bin directory holding initdb and pg_ctl, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    public static bool Available => BinDirectory is not null;

    public const string MissingReason = "PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql";

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        await EnsureStartedAsync();
        var name = $"controller_test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public Task InitializeAsync() => Task.CompletedTask; // started on first use, so SQLite-only runs never start it

    /// <summary>Stops the cluster and removes its directory (xunit calls this after the collection's last test).</summary>
    public async Task DisposeAsync()
    {
        if (_directory is not null)
        {
            await RunAsync(Path.Combine(BinDirectory!, "pg_ctl"), "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop");
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        _startGate.Dispose();
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

    private async Task EnsureStartedAsync()
    {
        await _startGate.WaitAsync();
        try
        {
            if (_directory is not null)
            {
                return;
            }

            if (BinDirectory is null)
            {
                throw new InvalidOperationException(MissingReason);
            }

            var root = Directory.CreateTempSubdirectory("controller-pg-").FullName;
            if (IsRoot)
            {
                await RunAsync("chown", "postgres:postgres", root);
            }

            var data = Path.Combine(root, "data");
            await RunAsync(Path.Combine(BinDirectory, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            _port = FreePort();
            await RunAsync(
                Path.Combine(BinDirectory, "pg_ctl"), "-D", data, "-w", "-t", "60", "-l", Path.Combine(root, "server.log"),
                "-o", $"-p {_port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
            _directory = root;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot && program != "chown")
        {
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output} {await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinDirectory()
    {
        const string Root = "/usr/lib/postgresql";
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.GetDirectories(Root)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => bin, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
