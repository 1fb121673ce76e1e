namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The packages systemd/packaging/build-deb.sh makes for one runtime (Native AOT, as shipped), built once per run with
/// gzip, and the .deb unpacked (dpkg -x) into a scratch root: the base of the x64 and arm64 package fixtures.
/// </summary>
public abstract class DebPackageFixture(string runtime, string prefix) : IAsyncLifetime
{
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string PackageDirectory => Path.Combine(WorkDirectory, "packages");

    public string DebPath { get; private set; } = "";

    /// <summary>The .deb's files, as dpkg would install them.</summary>
    public string ExtractedRoot => Path.Combine(WorkDirectory, "root");

    /// <summary>The agent's executable in <see cref="ExtractedRoot"/>.</summary>
    public string Executable => Path.Combine(ExtractedRoot, "opt", "gateway-agent", "gateway-agent");

    /// <summary>What build-deb.sh printed: the paths of the files it made, one per line.</summary>
    protected IReadOnlyList<string> Outputs { get; private set; } = [];

    public async Task InitializeAsync()
    {
        // The AOT publish takes 2-3 min on a loaded 2-core machine (the arm64 one cross-compiles).
        var output = await Tool.CheckedAsync(Path.Combine(InstallationPaths.SystemdDirectory, "packaging", "build-deb.sh"),
            ["-r", runtime, "-o", PackageDirectory, "--compression", "gzip"], TimeSpan.FromMinutes(20));
        Outputs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        DebPath = Output(".deb");
        OnBuilt();
        await Tool.CheckedAsync("dpkg", ["-x", DebPath, ExtractedRoot]);
    }

    /// <summary>Picks what else build-deb.sh made (<see cref="Output"/>), before the .deb is unpacked.</summary>
    protected virtual void OnBuilt()
    {
    }

    public Task DisposeAsync()
    {
        Directory.Delete(WorkDirectory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The one file build-deb.sh made whose name ends with <paramref name="suffix"/>.</summary>
    protected string Output(string suffix) => Assert.Single(Outputs, l => l.EndsWith(suffix, StringComparison.Ordinal) && File.Exists(l));
}
