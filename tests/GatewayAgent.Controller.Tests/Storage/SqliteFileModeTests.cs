namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>
/// The SQLite store on disk is the controller user's alone (issue 12 item 12): the data directory it creates is 0700,
/// controller.db and its -wal and -shm are 0600, whatever the process umask (checked on the real files SQLite wrote).
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteFileModeTests(PostgresCluster cluster) : IDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("controller-modes-");

    [Fact]
    public async Task A_new_data_directory_is_0700_and_the_database_with_its_wal_and_shm_is_0600()
    {
        var data = Path.Combine(_root.FullName, "var", "controller");
        await using var harness = await ControllerHarness.CreateAsync(
            Backends.Sqlite, cluster, new Dictionary<string, string?> { ["Controller:DataDirectory"] = data });
        await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None); // a write: the WAL has content

        // An open connection keeps the WAL and its index: the pool's may be closed at any time by a test elsewhere in this
        // process (SqliteConnection.ClearAllPools), and the last connection to close removes them.
        await using var open = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "controller.db")};Pooling=False");
        await open.OpenAsync();
        await using (var read = open.CreateCommand())
        {
            read.CommandText = "SELECT COUNT(*) FROM contracts";
            Assert.Equal(1L, await read.ExecuteScalarAsync());
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        foreach (var name in new[] { "controller.db", "controller.db-wal", "controller.db-shm" })
        {
            var file = Path.Combine(data, name);
            Assert.True(File.Exists(file), $"{name} exists while the controller runs");
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task Database_files_left_readable_by_others_are_narrowed_to_0600_at_start_and_an_existing_directory_is_left_alone()
    {
        var data = Path.Combine(_root.FullName, "shared");
        const UnixFileMode Shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, Shared);
        await using (var first = await ControllerHarness.CreateAsync(
            Backends.Sqlite, cluster, new Dictionary<string, string?> { ["Controller:DataDirectory"] = data }))
        {
            await first.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        }

        // As an older controller (or a restore with cp) would have left them.
        const UnixFileMode WorldReadable = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var files = Directory.GetFiles(data, "controller.db*");
        Assert.Contains(Path.Combine(data, "controller.db"), files);
        foreach (var file in files)
        {
            File.SetUnixFileMode(file, WorldReadable);
        }

        await using var restarted = await ControllerHarness.CreateAsync(
            Backends.Sqlite, cluster, new Dictionary<string, string?> { ["Controller:DataDirectory"] = data });

        Assert.Single(await restarted.Contracts.ListAsync(CancellationToken.None));
        foreach (var file in Directory.GetFiles(data, "controller.db*"))
        {
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
        }

        Assert.Equal(Shared, File.GetUnixFileMode(data));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Delete(recursive: true);
    }
}
