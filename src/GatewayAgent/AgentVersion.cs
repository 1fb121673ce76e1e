using System.Reflection;

namespace GatewayAgent;

public static class AgentVersion
{
    /// <summary>The informational version of the gateway-agent assembly (e.g. "0.1.0+commit").</summary>
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
