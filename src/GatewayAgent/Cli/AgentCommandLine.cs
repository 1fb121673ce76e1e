using GatewayAgent.Cli.Provisioning;
using GatewayAgent.Hosting;

namespace GatewayAgent.Cli;

/// <summary>
/// gateway-agent [verb] [options]. Verbs: run (default), provision, doctor, status, sim, firewall. Anything that is not a verb
/// (e.g. --Agent:Sip:Channels=4) is configuration for "run".
/// </summary>
public static class AgentCommandLine
{
    public const string Usage = """
        usage: gateway-agent [run] [--config FILE] [--Section:Key=value ...]   run the agent (default)
               gateway-agent provision [flags]     write /etc/gateway-agent/agent.json from flags (see provision --help)
               gateway-agent doctor [--config FILE] check GPIO, I2C, SIP port, broker, clock and spool; non-zero on failure
               gateway-agent status [--socket PATH] show the running agent's LEDs, inputs, SIP, MQTT, last probe, spool
               gateway-agent sim set NAME=VALUE... set simulated inputs (power-good, battery-low, button, wan) on the running agent
               gateway-agent firewall [--config FILE] print an nftables ruleset dropping SIP from outside Agent:Sip:AllowedSources
               gateway-agent version
               gateway-agent [VERB] --help | -h    this text, or the verb's; starts nothing
        run exits 0 when stopped, 2 when an option is invalid (one line naming the key), 1 when it cannot start
        (a listen address in use, the board missing: one line naming it).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        if (CommandLineHelp.IsRequested(rest) && VerbUsage(verb) is { } usage)
        {
            // Before anything else: --help never starts the agent, opens a port or writes a file.
            return CommandLineHelp.Print(usage, Console.Out);
        }

        switch (verb)
        {
            case "run":
                return await AgentHost.RunAsync(args).ConfigureAwait(false);
            case "provision":
                return await ProvisionCommand.RunAsync(rest).ConfigureAwait(false);
            case "doctor":
                return await DoctorCommand.RunAsync(rest).ConfigureAwait(false);
            case "status":
                return await StatusCommand.RunAsync(rest).ConfigureAwait(false);
            case "sim":
                return await SimCommand.RunAsync(rest).ConfigureAwait(false);
            case "firewall":
                return await FirewallCommand.RunAsync(rest).ConfigureAwait(false);
            case "version":
                Console.WriteLine(AgentVersion.Current);
                return 0;
            case "help":
                Console.WriteLine(Usage);
                return 0;
            default:
                Console.Error.WriteLine($"gateway-agent: unknown verb '{verb}'");
                Console.Error.WriteLine(Usage);
                return 64;
        }
    }

    private static string? VerbUsage(string verb) => verb switch
    {
        "run" or "version" or "help" => Usage,
        "provision" => ProvisionFlags.Help(),
        "doctor" => DoctorCommand.Usage,
        "status" => StatusCommand.Usage,
        "sim" => SimCommand.Usage,
        "firewall" => FirewallCommand.Usage,
        _ => null,
    };
}
