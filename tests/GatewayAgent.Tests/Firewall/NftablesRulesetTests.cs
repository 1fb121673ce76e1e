using GatewayAgent.Firewall;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Tests.Installation;
using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Firewall;

/// <summary>
/// The nftables ruleset generated from the agent's allow-list (issue 12 item 2), loaded into the kernel inside a
/// network namespace of its own (unshare -rn: a user namespace makes us root there, with a fresh loopback), where
/// datagrams from an allowed and a refused loopback source are sent to the agent's listen port.
/// </summary>
[Trait("Ring", "integration")]
public sealed class NftablesRulesetTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("nft-");

    [ToolFact("/usr/sbin/nft", "nftables")]
    public async Task GeneratedRuleset_DropsARefusedSourcesSip_InTheKernel_AndLetsTheProberThrough()
    {
        var port = FreePort.Next();
        var config = Path.Combine(_work.FullName, "agent.json");
        await File.WriteAllTextAsync(config, "{}");
        var generated = await AgentCli.RunAsync("firewall", "--config", config,
            "--Agent:Sip:AllowedSources:0=127.0.0.1", "--Agent:Sip:AllowedSources:1=2001:db8::/32",
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{port}", $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{port}");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var ruleset = Path.Combine(_work.FullName, "gateway-agent.nft");
        await File.WriteAllTextAsync(ruleset, generated.Stdout);

        // In the namespace: load the ruleset twice (a reload replaces the table), then 5 datagrams from a stranger
        // (127.0.0.9) and after them 5 from the prober (127.0.0.1), to the listen port. One socket's queue keeps the
        // order, so once the prober's 5th has arrived every stranger's datagram that got through is in front of it.
        var receiver = Path.Combine(_work.FullName, "receive.py");
        await File.WriteAllTextAsync(receiver, $$"""
            import socket
            rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            rx.bind(("127.0.0.1", {{port}}))
            rx.settimeout(10)
            for source in ["127.0.0.9"] * 5 + ["127.0.0.1"] * 5:
                tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                tx.bind((source, 0))
                tx.sendto(b"OPTIONS sip:x SIP/2.0\r\n\r\n", ("127.0.0.1", {{port}}))
                tx.close()
            got = []
            while got.count("127.0.0.1") < 5:
                got.append(rx.recvfrom(65535)[1][0])
            print("received", " ".join(got))
            """);
        var (code, output) = await Tool.RunAsync("unshare", ["-rn", "sh", "-ec",
            $"ip link set lo up; nft -f '{ruleset}'; nft -f '{ruleset}'; python3 '{receiver}'; nft list chain inet {NftablesRuleset.Table} input"]);

        Assert.True(code == 0, output);
        Assert.Contains("received 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1\n", output, StringComparison.Ordinal);
        Assert.Contains($"udp dport {port} ip saddr != @allowed4 counter packets 5 ", output, StringComparison.Ordinal);
        Assert.Contains($"ip daddr 127.0.0.1 tcp dport {port} ip saddr != @allowed4 counter packets 0 ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Ruleset_NamesEachListenAddress_AndBothFamiliesSets()
    {
        var text = NftablesRuleset.Generate(["192.0.2.0/24", "198.51.100.7", "2001:db8::/32"],
            [SipListenAddress.Parse("udp:0.0.0.0:5060"), SipListenAddress.Parse("tcp:[::]:5061")], "test");

        Assert.Contains("elements = { 192.0.2.0/24, 198.51.100.7 }", text, StringComparison.Ordinal);
        Assert.Contains("elements = { 2001:db8::/32 }", text, StringComparison.Ordinal);
        Assert.Contains("\t\tudp dport 5060 ip saddr != @allowed4 counter drop comment \"udp:0.0.0.0:5060\"", text, StringComparison.Ordinal);
        Assert.Contains("\t\ttcp dport 5061 ip6 saddr != @allowed6 counter drop comment \"tcp:[::]:5061\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnAllowList_ThereIsNothingToDrop_Exit2()
    {
        var config = Path.Combine(_work.FullName, "agent.json");
        await File.WriteAllTextAsync(config, "{}");

        var result = await AgentCli.RunAsync("firewall", "--config", config);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Agent:Sip:AllowedSources is empty", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
