namespace GatewayAgent.Tests.Installation;

/// <summary>
/// Built once per test run: the linux-x64 .deb, tarball and debug symbols that systemd/packaging/build-deb.sh makes
/// (it publishes the agent with Native AOT, as for the shipped packages), and the .deb unpacked (dpkg -x) into a
/// scratch root.
/// </summary>
public sealed class AgentPackageFixture : IAsyncLifetime
{
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("agent-package-").FullName;

    public string PackageDirectory => Path.Combine(WorkDirectory, "packages");

    public string DebPath { get; private set; } = "";

    public string TarballPath { get; private set; } = "";

    /// <summary>The executable's debug symbols, which build-deb.sh keeps beside the packages, not in them.</summary>
    public string DebugSymbolsPath { get; private set; } = "";

    /// <summary>The .deb's files, as dpkg would install them.</summary>
    public string ExtractedRoot => Path.Combine(WorkDirectory, "root");

    public async Task InitializeAsync()
    {
        var output = await Tool.CheckedAsync(Path.Combine(InstallationPaths.SystemdDirectory, "packaging", "build-deb.sh"),
            ["-r", "linux-x64", "-o", PackageDirectory, "--compression", "gzip"], TimeSpan.FromMinutes(20));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        DebPath = Assert.Single(lines, l => l.EndsWith(".deb", StringComparison.Ordinal) && File.Exists(l));
        TarballPath = Assert.Single(lines, l => l.EndsWith(".tar.gz", StringComparison.Ordinal) && File.Exists(l));
        DebugSymbolsPath = Assert.Single(lines, l => l.EndsWith("_amd64.dbg", StringComparison.Ordinal) && File.Exists(l));
        await Tool.CheckedAsync("dpkg", ["-x", DebPath, ExtractedRoot]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(WorkDirectory, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AgentPackageCollection : ICollectionFixture<AgentPackageFixture>
{
    public const string Name = "agent package (linux-x64 Native AOT .deb)";
}
