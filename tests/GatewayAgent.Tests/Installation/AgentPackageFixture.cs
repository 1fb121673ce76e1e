namespace GatewayAgent.Tests.Installation;

/// <summary>
/// Built once per test run: the linux-x64 .deb, tarball and debug symbols that systemd/packaging/build-deb.sh makes
/// (it publishes the agent with Native AOT, as for the shipped packages), and the .deb unpacked (dpkg -x) into a
/// scratch root.
/// </summary>
public sealed class AgentPackageFixture() : DebPackageFixture("linux-x64", "agent-package-")
{
    public string TarballPath { get; private set; } = "";

    /// <summary>The executable's debug symbols, which build-deb.sh keeps beside the packages, not in them.</summary>
    public string DebugSymbolsPath { get; private set; } = "";

    protected override void OnBuilt()
    {
        TarballPath = Output(".tar.gz");
        DebugSymbolsPath = Output("_amd64.dbg");
    }
}

[CollectionDefinition(Name)]
public sealed class AgentPackageCollection : ICollectionFixture<AgentPackageFixture>
{
    public const string Name = "agent package (linux-x64 Native AOT .deb)";
}
