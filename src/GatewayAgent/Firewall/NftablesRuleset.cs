using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Firewall;

/// <summary>
/// An nftables ruleset that drops, in the kernel, SIP from sources outside Agent:Sip:AllowedSources to the agent's
/// listen addresses (issue 12 item 2). The agent's own guard drops such datagrams only after they have been queued on
/// its socket, so a flood it refuses still fills the socket's queue and crowds out the prober's INVITEs; dropped in the
/// input hook they never reach the socket. One table of its own (inet gateway_agent), replaced as a whole on each load.
/// </summary>
public static class NftablesRuleset
{
    public const string Table = "gateway_agent";

    /// <exception cref="FormatException">an allowed source is not an address or CIDR block (the message names it).</exception>
    public static string Generate(IReadOnlyList<string> allowedSources, IEnumerable<SipListenAddress> listen, string origin)
    {
        ArgumentNullException.ThrowIfNull(allowedSources);
        var networks = allowedSources.Select(SourceGuard.ParseNetwork).ToList();
        var v4 = networks.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(Format).Distinct().ToList();
        var v6 = networks.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).Select(Format).Distinct().ToList();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# gateway-agent firewall: generated from {origin}");
        text.AppendLine("# Drops SIP to the agent's listen addresses from sources outside Agent:Sip:AllowedSources before it is queued on");
        text.AppendLine("# the agent's socket. Load with: gateway-agent firewall | sudo nft -f -   (replaces only this table)");
        text.AppendLine(CultureInfo.InvariantCulture, $"table inet {Table}");
        text.AppendLine(CultureInfo.InvariantCulture, $"delete table inet {Table}");
        text.AppendLine(CultureInfo.InvariantCulture, $"table inet {Table} {{");
        AppendSet(text, "allowed4", "ipv4_addr", v4);
        AppendSet(text, "allowed6", "ipv6_addr", v6);
        text.AppendLine("\tchain input {");
        text.AppendLine("\t\ttype filter hook input priority filter - 10; policy accept;");
        foreach (var address in listen.Where(a => a.EndPoint.Port != 0).Distinct())
        {
            var protocol = address.Transport == SipTransportKind.Udp ? "udp" : "tcp";
            var ip = address.EndPoint.Address;
            var v6Listen = ip.AddressFamily == AddressFamily.InterNetworkV6;
            var (family, set) = v6Listen ? ("ip6", "@allowed6") : ("ip", "@allowed4");
            var destination = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? "" : $"{family} daddr {ip} ";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"\t\t{destination}{protocol} dport {address.EndPoint.Port} {family} saddr != {set} counter drop comment \"{address}\"");
        }

        text.AppendLine("\t}");
        text.AppendLine("}");
        return text.ToString();
    }

    private static void AppendSet(StringBuilder text, string name, string type, List<string> elements)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"\tset {name} {{");
        text.AppendLine(CultureInfo.InvariantCulture, $"\t\ttype {type}");
        text.AppendLine("\t\tflags interval");
        if (elements.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"\t\telements = {{ {string.Join(", ", elements)} }}");
        }

        text.AppendLine("\t}");
    }

    private static string Format(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            ? network.BaseAddress.ToString()
            : network.ToString();
}
