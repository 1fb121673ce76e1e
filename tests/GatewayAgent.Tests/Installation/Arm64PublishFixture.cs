namespace GatewayAgent.Tests.Installation;

/// <summary>The self-contained linux-arm64 publish (what the .deb for the Raspberry Pi carries), built once per run.</summary>
public sealed class Arm64PublishFixture : IAsyncLifetime
{
    public string PublishDirectory { get; } = Path.Combine(Directory.CreateTempSubdirectory("agent-arm64-").FullName, "publish");

    public string Executable => Path.Combine(PublishDirectory, "gateway-agent");

    public async Task InitializeAsync()
    {
        await Tool.CheckedAsync("dotnet",
            ["publish", Path.Combine(InstallationPaths.RepositoryRoot, "src", "GatewayAgent"), "-c", "Release", "-r", "linux-arm64", "--self-contained",
             "-o", PublishDirectory, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(10));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(PublishDirectory)!, recursive: true);
        return Task.CompletedTask;
    }
}
