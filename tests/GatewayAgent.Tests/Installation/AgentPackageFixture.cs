namespace GatewayAgent.Tests.Installation;

/// <summary>
/// Built once per test run: the self-contained linux-x64 publish, the .deb and tarball that
/// systemd/packaging/build-deb.sh makes from it, and the .deb unpacked (dpkg -x) into a scratch root.
/// </summary>
public sealed class AgentPackageFixture : IAsyncLifetime
{
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("agent-package-").FullName;

    public string PublishDirectory => Path.Combine(WorkDirectory, "publish");

    public string PackageDirectory => Path.Combine(WorkDirectory, "packages");

    public string DebPath { get; private set; } = "";

    public string TarballPath { get; private set; } = "";

    /// <summary>The .deb's files, as dpkg would install them.</summary>
    public string ExtractedRoot => Path.Combine(WorkDirectory, "root");

    public async Task InitializeAsync()
    {
        await Tool.CheckedAsync("dotnet",
            ["publish", Path.Combine(InstallationPaths.RepositoryRoot, "src", "GatewayAgent"), "-c", "Release", "-r", "linux-x64", "--self-contained",
             "-o", PublishDirectory, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(10));
        var output = await Tool.CheckedAsync(Path.Combine(InstallationPaths.SystemdDirectory, "packaging", "build-deb.sh"),
            ["-r", "linux-x64", "--publish-dir", PublishDirectory, "-o", PackageDirectory, "--compression", "gzip"], TimeSpan.FromMinutes(10));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        DebPath = Assert.Single(lines, l => l.EndsWith(".deb", StringComparison.Ordinal) && File.Exists(l));
        TarballPath = Assert.Single(lines, l => l.EndsWith(".tar.gz", StringComparison.Ordinal) && File.Exists(l));
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
    public const string Name = "agent package (linux-x64 publish, .deb)";
}
