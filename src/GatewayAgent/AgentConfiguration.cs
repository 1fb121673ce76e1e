using Microsoft.Extensions.Configuration;

namespace GatewayAgent;

/// <summary>
/// The agent's configuration sources, in order: appsettings.json, the file given by --config (default
/// /etc/gateway-agent/agent.json when it exists), GATEWAY_-prefixed environment variables, then --Section:Key=value.
/// </summary>
public static class AgentConfiguration
{
    public const string DefaultConfigFile = "/etc/gateway-agent/agent.json";

    public static void AddSources(IConfigurationManager configuration, string[] args)
    {
        var file = ConfigFile(args);
        if (file is not null)
        {
            configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        else if (File.Exists(DefaultConfigFile))
        {
            configuration.AddJsonFile(DefaultConfigFile, optional: true, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables("GATEWAY_");
        configuration.AddCommandLine(StripVerb(args).Where(a => !a.StartsWith("--config", StringComparison.Ordinal)).ToArray());
    }

    /// <summary>The value of --config PATH or --config=PATH, if given.</summary>
    public static string? ConfigFile(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                return args[i]["--config=".Length..];
            }
        }

        return null;
    }

    /// <summary>Drops a leading verb ("run") so the rest parses as configuration.</summary>
    public static string[] StripVerb(string[] args)
    {
        var rest = args.Length > 0 && args[0] == "run" ? args[1..] : args;
        var result = new List<string>(rest.Length);
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--config")
            {
                i++;
                continue;
            }

            if (!rest[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                result.Add(rest[i]);
            }
        }

        return [.. result];
    }
}
