namespace GatewayAgent.Lab;

/// <summary>
/// Where the built executables are. The lab runs the real gateway-controller and gateway-agent from their own build
/// folders (each has its own appsettings.json, so they cannot share one folder).
/// </summary>
public sealed record RepoLayout(string Root, string Configuration)
{
    public string ControllerDll => Path.Combine(Root, "src", "GatewayAgent.Controller", "bin", Configuration, "net10.0", "gateway-controller.dll");

    public string PortalDll => Path.Combine(Root, "src", "GatewayAgent.Portal", "bin", Configuration, "net10.0", "gateway-portal.dll");

    public string AgentDll => Path.Combine(Root, "src", "GatewayAgent", "bin", Configuration, "net10.0", "gateway-agent.dll");

    /// <summary>The carrier edge's configuration (kamailio), used as it is in the repository.</summary>
    public string EdgeConfig => Path.Combine(Root, "edge", "kamailio", "kamailio.cfg");

    /// <summary>Walks up from <paramref name="start"/> to the folder holding GatewayAgent.sln.</summary>
    public static RepoLayout Find(string start, string configuration)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GatewayAgent.sln")))
            {
                return new RepoLayout(dir.FullName, configuration);
            }
        }

        throw new InvalidOperationException($"no GatewayAgent.sln above {start}: run the lab from the repository (./run.sh)");
    }
}
