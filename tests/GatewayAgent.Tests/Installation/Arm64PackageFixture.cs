namespace GatewayAgent.Tests.Installation;

/// <summary>
/// The linux-arm64 .deb for the Raspberry Pi as systemd/packaging/build-deb.sh ships it (Native AOT, cross-compiled
/// on this x64 host), built once per run and unpacked (dpkg -x): the tests run its /opt/gateway-agent/gateway-agent.
/// </summary>
public sealed class Arm64PackageFixture : IAsyncLifetime
{
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("agent-arm64-").FullName;

    public string DebPath { get; private set; } = "";

    /// <summary>The .deb's files, as dpkg would install them.</summary>
    public string ExtractedRoot => Path.Combine(WorkDirectory, "root");

    public string Executable => Path.Combine(ExtractedRoot, "opt", "gateway-agent", "gateway-agent");

    public async Task InitializeAsync()
    {
        // The cross-compiling AOT publish takes ~3 min on a loaded 2-core machine.
        var output = await Tool.CheckedAsync(Path.Combine(InstallationPaths.SystemdDirectory, "packaging", "build-deb.sh"),
            ["-r", "linux-arm64", "-o", Path.Combine(WorkDirectory, "packages"), "--compression", "gzip"], TimeSpan.FromMinutes(20));
        DebPath = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => l.EndsWith("_arm64.deb", StringComparison.Ordinal) && File.Exists(l));
        await Tool.CheckedAsync("dpkg", ["-x", DebPath, ExtractedRoot]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(WorkDirectory, recursive: true);
        return Task.CompletedTask;
    }
}
