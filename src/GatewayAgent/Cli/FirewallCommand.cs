using GatewayAgent.Answering;
using GatewayAgent.Firewall;
using GatewayAgent.Sip.Security;
using Microsoft.Extensions.Configuration;

namespace GatewayAgent.Cli;

/// <summary>
/// gateway-agent firewall [--config FILE] [--Section:Key=value ...]: prints the nftables ruleset that drops, in the
/// kernel, SIP from outside Agent:Sip:AllowedSources (<see cref="NftablesRuleset"/>), read from the same configuration
/// sources as "run". Exit 2 when the configuration cannot be read or has no allow-list.
/// </summary>
public static class FirewallCommand
{
    public const string Usage = """
        usage: gateway-agent firewall [--config FILE] [--Section:Key=value ...]
        Prints an nftables ruleset (table inet gateway_agent) that drops SIP to the agent's listen addresses
        (Agent:Sip:Listen) from every source outside Agent:Sip:AllowedSources, in the kernel, before a flood can fill
        the agent's socket queue. Load it:   gateway-agent firewall | sudo nft -f -
        or keep it with the system's rules:  gateway-agent firewall | sudo tee /etc/nftables.d/gateway-agent.nft
        Run it again after changing the allow-list or the listen addresses. Exit 2: no allow-list or a bad entry.
        """;

    public static Task<int> RunAsync(string[] args)
    {
        try
        {
            var (configuration, source) = DoctorCommand.Load(args);
            var section = configuration.GetSection(AgentSipOptions.SectionName);
            var guard = section.Get<SourceGuardOptions>() ?? new SourceGuardOptions();
            var sip = section.Get<AgentSipOptions>() ?? new AgentSipOptions();
            if (guard.AllowedSources.Count == 0)
            {
                Console.Error.WriteLine("gateway-agent firewall: Agent:Sip:AllowedSources is empty: every source is allowed, there is nothing to drop");
                return Task.FromResult(2);
            }

            Console.Write(NftablesRuleset.Generate(guard.AllowedSources, sip.ListenAddresses(), source));
            return Task.FromResult(0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"gateway-agent firewall: {ex.Message}");
            return Task.FromResult(2);
        }
    }
}
