namespace GatewayAgent.Tests.Installation;

/// <summary>Where the repository's installer files are, found from the test binary's folder upwards.</summary>
public static class InstallationPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SystemdDirectory => Path.Combine(RepositoryRoot, "systemd");

    public static string UnitFile => Path.Combine(SystemdDirectory, "gateway-agent.service");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GatewayAgent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GatewayAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
