using Microsoft.Extensions.Configuration;

namespace GatewayAgent.LocalControl;

/// <summary>
/// The arguments the "status" and "sim" verbs share: --socket PATH, else Agent:LocalControl:Socket from the same
/// sources the agent reads (appsettings.json, --config FILE or /etc/gateway-agent/agent.json, GATEWAY_ environment,
/// --Agent:LocalControl:Socket=...), else the default path or its fallback where a socket exists.
/// </summary>
public sealed record LocalControlCommandArgs(string SocketPath, IReadOnlyList<string> Rest, IReadOnlySet<string> Flags)
{
    /// <exception cref="ArgumentException">A malformed option (the message says which).</exception>
    public static LocalControlCommandArgs Parse(string[] args, IReadOnlySet<string> knownFlags)
    {
        string? socket = null;
        var configArgs = new List<string>();
        var rest = new List<string>();
        var flags = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--socket" || arg == "--config")
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{arg} needs a value");
                }

                if (arg == "--socket")
                {
                    socket = args[++i];
                }
                else
                {
                    configArgs.Add(arg);
                    configArgs.Add(args[++i]);
                }
            }
            else if (arg.StartsWith("--socket=", StringComparison.Ordinal))
            {
                socket = arg["--socket=".Length..];
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal) || (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains(':', StringComparison.Ordinal)))
            {
                configArgs.Add(arg);
            }
            else if (knownFlags.Contains(arg))
            {
                flags.Add(arg);
            }
            else if (arg.StartsWith('-'))
            {
                throw new ArgumentException($"unknown option '{arg}'");
            }
            else
            {
                rest.Add(arg);
            }
        }

        if (socket is null)
        {
            var configuration = new ConfigurationManager();
            configuration.SetBasePath(AppContext.BaseDirectory);
            configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
            try
            {
                AgentConfiguration.AddSources(configuration, [.. configArgs]);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException)
            {
                throw new ArgumentException($"cannot read the configuration: {ex.Message}", ex);
            }

            socket = configuration[$"{LocalControlOptions.SectionName}:Socket"];
        }

        return new LocalControlCommandArgs(LocalControlSocketPath.ForClient(socket), rest, flags);
    }
}
