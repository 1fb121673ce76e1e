namespace GatewayAgent.Tests.Installation;

/// <summary>A fact that is skipped, with the reason, only when a tool it drives is not installed on this machine.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string path, string package)
    {
        if (!File.Exists(path))
        {
            Skip = $"{path} is not installed (Debian package {package})";
        }
    }
}
