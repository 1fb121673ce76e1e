using GatewayAgent.Cli.Provisioning;

namespace GatewayAgent.Cli;

/// <summary>
/// gateway-agent provision [flags]: writes the agent's configuration file (default /etc/gateway-agent/agent.json) from
/// flags, validated. Exit 0 written, 1 not written (exists without --force, I/O error), 2 invalid flag or value.
/// </summary>
public static class ProvisionCommand
{
    public const string ServiceGroup = "gateway-agent";

    public static async Task<int> RunAsync(string[] args)
    {
        ProvisionArguments parsed;
        System.Text.Json.Nodes.JsonObject document;
        try
        {
            parsed = ProvisionArguments.Parse(args);
            if (parsed.Has("help"))
            {
                Console.WriteLine(ProvisionFlags.Help());
                return 0;
            }

            document = ProvisionedConfiguration.Build(parsed, Path.Combine(AppContext.BaseDirectory, "pinmaps"));
        }
        catch (ProvisionException ex)
        {
            Console.Error.WriteLine($"gateway-agent provision: {ex.Message}");
            return 2;
        }

        var output = parsed.Single("output") ?? AgentConfiguration.DefaultConfigFile;
        if (AgentConfigFileWriter.IsProvisioned(output) && parsed.Single("force") != "true")
        {
            Console.Error.WriteLine($"gateway-agent provision: {output} exists; add --force to replace it");
            return 1;
        }

        var group = parsed.Single("group");
        if (group is null && output == AgentConfiguration.DefaultConfigFile && AgentConfigFileWriter.GroupExists(ServiceGroup))
        {
            // The service runs as gateway-agent: it must read the file, nobody else may (it holds the passwords).
            group = ServiceGroup;
        }

        try
        {
            await AgentConfigFileWriter.WriteAsync(output, document, group, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"gateway-agent provision: cannot write {output}: {ex.Message}");
            return 1;
        }

        Console.WriteLine($"gateway-agent provision: wrote {Path.GetFullPath(output)} ({(group is null ? "0600" : "0640, group " + group)}); " +
            "check it with: gateway-agent doctor" + (output == AgentConfiguration.DefaultConfigFile ? "" : $" --config {output}"));
        return 0;
    }
}
