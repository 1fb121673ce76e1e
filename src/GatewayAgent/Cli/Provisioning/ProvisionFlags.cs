namespace GatewayAgent.Cli.Provisioning;

/// <summary>Every flag "gateway-agent provision" understands, in help order.</summary>
public static class ProvisionFlags
{
    public static IReadOnlyList<ProvisionFlag> All { get; } =
    [
        new("output", null, "PATH", false, $"file to write (default {AgentConfiguration.DefaultConfigFile})"),
        new("force", null, null, false, "replace an existing file (the package's unprovisioned default is replaced without it)"),
        new("group", null, "NAME", false, "make the file 0640 and readable by this group (default: gateway-agent when writing the default file and the group exists; otherwise the file is 0600)"),
        new("site-id", "Agent:SiteId", "ID", false, "site id, 1-64 of A-Z a-z 0-9 - _ (the MQTT topic level gw/v1/ID/...); required with --mqtt-host"),
        new("mqtt-host", "Agent:Mqtt:Host", "HOST", false, "MQTT broker host name or address"),
        new("mqtt-port", "Agent:Mqtt:Port", "PORT", false, "MQTT broker port, 1-65535 (default 1883, 8883 with TLS)"),
        new("mqtt-username", "Agent:Mqtt:Username", "NAME", false, "MQTT user name"),
        new("mqtt-password", "Agent:Mqtt:Password", "SECRET", false, "MQTT password (visible in the process list: prefer --mqtt-password-file)"),
        new("mqtt-password-file", "Agent:Mqtt:Password", "PATH", false, "read the MQTT password from the first line of this file"),
        new("mqtt-tls", "Agent:Mqtt:UseTls", null, false, "connect to the broker over TLS (the default; kept for older scripts)"),
        new("insecure", "Agent:Mqtt:UseTls", null, false, "connect to the broker in plain MQTT, without TLS (passwords and events cross the network readable)"),
        new("ca-file", "Agent:Mqtt:CaFile", "PATH", false, "PEM file of the CA that signed the broker's certificate (implies --mqtt-tls)"),
        new("board", "Agent:Board:Kind", "KIND", false, "sim | rpi | libgpiod"),
        new("pinmap", "Agent:Board:PinMap", "NAME|PATH", false, "pin map: a name from the pinmaps/ folder beside the binary (rpi4, rpi5, libgpiod-generic...), or a path to a JSON file"),
        new("monitor-number", "Agent:Sip:MonitorNumbers", "NUMBER", true, "monitoring number to answer, 10-11 digits from 0 (hyphens, full-width digits, +81 folded); repeatable; at least one"),
        new("listen", "Agent:Sip:Listen", "ADDR", true, "SIP listen address, e.g. udp:192.0.2.10:5060 or tcp:[::]:5060; repeatable; the whole list (default udp and tcp on --wan-address, else on 0.0.0.0, port 5060)"),
        new("wan-address", "Agent:Sip:Listen", "IP", false, "the adapter's WAN address: without --listen, SIP listens on udp and tcp of this address only, port 5060"),
        new("channels", "Agent:Sip:Channels", "N", false, "concurrent probe calls answered, 1-1000 (default 2)"),
        new("allowed-source", "Agent:Sip:AllowedSources", "CIDR", true, "address or network allowed to send SIP, e.g. 192.0.2.0/24; repeatable; this or --allow-any-source is required"),
        new("allow-any-source", "Agent:Sip:AllowedSources", null, false, "answer SIP from any address on the WAN (no allow-list): only behind a firewall that already filters"),
        new("registrar", "Agent:Sip:Register:Registrar", "ADDR", false, "register with this registrar, e.g. udp:192.0.2.1:5060"),
        new("register-user", "Agent:Sip:Register:User", "USER", false, "user part of the registered address of record; required with --registrar"),
        new("register-password", "Agent:Sip:Register:Password", "SECRET", false, "digest password for the registrar (visible in the process list: prefer --register-password-file)"),
        new("register-password-file", "Agent:Sip:Register:Password", "PATH", false, "read the registrar's digest password from the first line of this file"),
        new("register-domain", "Agent:Sip:Register:Domain", "DOMAIN", false, "domain of the address of record (default: the registrar's host)"),
        new("help", null, null, false, "print this help"),
    ];

    public static ProvisionFlag? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    public static string Help()
    {
        var lines = new List<string>
        {
            "usage: gateway-agent provision --monitor-number NUMBER [flags]",
            "Writes the agent's configuration file atomically (mode 0600, or 0640 for --group). Invalid values are",
            "rejected with a line naming the configuration key, exit code 2.",
            "",
        };
        foreach (var flag in All)
        {
            var left = "--" + flag.Name + (flag.Value is null ? "" : " " + flag.Value);
            var key = flag.Key is null ? "" : $" [{flag.Key}]";
            lines.Add($"  {left,-30} {flag.Help}{key}");
        }

        return string.Join('\n', lines);
    }
}
