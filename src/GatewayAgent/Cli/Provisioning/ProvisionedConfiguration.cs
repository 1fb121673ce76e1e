using System.Globalization;
using System.Text.Json.Nodes;
using GatewayAgent.Board;
using GatewayAgent.Contracts;
using GatewayAgent.Domain.Numbers;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Cli.Provisioning;

/// <summary>
/// Turns provision flags into the agent's configuration document, validating every value first. Each rejection names
/// the configuration key it was for, as the agent itself names keys in its start-up errors.
/// </summary>
public static class ProvisionedConfiguration
{

    /// <param name="pinMapDirectory">Where named pin maps live (pinmaps/ beside the binary).</param>
    /// <exception cref="ProvisionException">the first invalid or missing value.</exception>
    public static JsonObject Build(ProvisionArguments args, string pinMapDirectory)
    {
        var root = new JsonObject();

        var numbers = args.Many("monitor-number");
        if (numbers.Count == 0)
        {
            throw new ProvisionException("Agent:Sip:MonitorNumbers: at least one --monitor-number is required");
        }

        var normalised = new JsonArray();
        for (var i = 0; i < numbers.Count; i++)
        {
            // FN-2: a monitoring number is one of the contract's numbers, normalised by the one rule the controller uses.
            var digits = PhoneNumber.Normalize(numbers[i]);
            if (!PhoneNumber.IsSubscriberNumber(digits))
            {
                throw Invalid($"Agent:Sip:MonitorNumbers:{i}", numbers[i], "is not a phone number (10 or 11 digits starting with 0, e.g. 03-1234-5678)");
            }

            normalised.Add((JsonNode)digits);
        }

        Set(root, "Agent:Sip:MonitorNumbers", normalised);

        var listen = args.Many("listen");
        if (listen.Count > 0)
        {
            var addresses = new JsonArray();
            for (var i = 0; i < listen.Count; i++)
            {
                if (!SipListenAddress.TryParse(listen[i], out _, out var error))
                {
                    throw Invalid($"Agent:Sip:Listen:{i}", listen[i], $"is not a listen address ({error})");
                }

                addresses.Add((JsonNode)listen[i]);
            }

            Set(root, "Agent:Sip:Listen", addresses);
        }
        else if (args.Single("wan-address") is { } wan)
        {
            // Issue 12 item 4: bind to the WAN leg only, not to every interface.
            if (!System.Net.IPAddress.TryParse(wan, out var address))
            {
                throw Invalid("Agent:Sip:Listen", wan, "(--wan-address) is not an IP address");
            }

            var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            Set(root, "Agent:Sip:Listen", new JsonArray($"udp:{host}:5060", $"tcp:{host}:5060"));
        }

        if (args.Single("channels") is { } channels)
        {
            Set(root, "Agent:Sip:Channels", Integer("Agent:Sip:Channels", channels, 1, 1000, "channels (1-1000)"));
        }

        var sources = args.Many("allowed-source");
        if (sources.Count > 0)
        {
            var list = new JsonArray();
            for (var i = 0; i < sources.Count; i++)
            {
                if (!SourceGuard.TryParseNetwork(sources[i], out _))
                {
                    throw Invalid($"Agent:Sip:AllowedSources:{i}", sources[i], "is not an IP address or CIDR block (e.g. 192.0.2.0/24)");
                }

                list.Add((JsonNode)sources[i].Trim());
            }

            Set(root, "Agent:Sip:AllowedSources", list);
        }

        AddRegistration(root, args);
        AddMqtt(root, args);
        AddBoard(root, args, pinMapDirectory);

        // Issue 12 item 4: an adapter on the WAN answers anyone only when told so.
        if (sources.Count > 0 && args.Has("allow-any-source"))
        {
            throw new ProvisionException("Agent:Sip:AllowedSources: give --allowed-source or --allow-any-source, not both");
        }

        if (sources.Count == 0 && !args.Has("allow-any-source"))
        {
            throw new ProvisionException(
                "Agent:Sip:AllowedSources: required: --allowed-source CIDR (repeatable: the carrier's proxies and probers), or --allow-any-source to answer anyone on the WAN");
        }

        return root;
    }

    private static void AddRegistration(JsonObject root, ProvisionArguments args)
    {
        if (args.Single("registrar") is not { } registrar)
        {
            foreach (var flag in new[] { "register-user", "register-password", "register-password-file", "register-domain" })
            {
                if (args.Has(flag))
                {
                    throw new ProvisionException($"Agent:Sip:Register:Registrar: required with --{flag}");
                }
            }

            return;
        }

        if (!SipListenAddress.TryParse(registrar, out _, out var error))
        {
            throw Invalid("Agent:Sip:Register:Registrar", registrar, $"is not a registrar address like udp:192.0.2.1:5060 ({error})");
        }

        Set(root, "Agent:Sip:Register:Registrar", registrar);
        var user = args.Single("register-user");
        if (string.IsNullOrWhiteSpace(user))
        {
            throw new ProvisionException("Agent:Sip:Register:User: required with --registrar (--register-user)");
        }

        Set(root, "Agent:Sip:Register:User", user);
        if (args.Has("register-password") && args.Has("register-password-file"))
        {
            throw new ProvisionException("Agent:Sip:Register:Password: give --register-password or --register-password-file, not both");
        }

        var password = args.Single("register-password");
        if (args.Single("register-password-file") is { } passwordFile)
        {
            password = ReadSecret("Agent:Sip:Register:Password", passwordFile, "--register-password-file");
        }

        if (password is not null)
        {
            Set(root, "Agent:Sip:Register:Password", password);
        }

        if (args.Single("register-domain") is { } domain)
        {
            if (Uri.CheckHostName(domain) == UriHostNameType.Unknown)
            {
                throw Invalid("Agent:Sip:Register:Domain", domain, "is not a domain name");
            }

            Set(root, "Agent:Sip:Register:Domain", domain);
        }
    }

    private static void AddMqtt(JsonObject root, ProvisionArguments args)
    {
        var siteId = args.Single("site-id");
        if (siteId is not null)
        {
            if (!Topics.IsValidSiteId(siteId))
            {
                throw Invalid("Agent:SiteId", siteId, "is not a site id (1-64 characters of A-Z a-z 0-9 - _)");
            }

            Set(root, "Agent:SiteId", siteId);
        }

        var host = args.Single("mqtt-host");
        if (host is null)
        {
            foreach (var flag in new[] { "mqtt-port", "mqtt-username", "mqtt-password", "mqtt-password-file", "mqtt-tls", "insecure", "ca-file" })
            {
                if (args.Has(flag))
                {
                    throw new ProvisionException($"Agent:Mqtt:Host: required with --{flag} (--mqtt-host)");
                }
            }

            return;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw Invalid("Agent:Mqtt:Host", host, "is not a host name or IP address");
        }

        if (siteId is null)
        {
            throw new ProvisionException("Agent:SiteId: required with --mqtt-host (--site-id)");
        }

        Set(root, "Agent:Mqtt:Host", host);
        if (args.Single("mqtt-port") is { } port)
        {
            Set(root, "Agent:Mqtt:Port", Integer("Agent:Mqtt:Port", port, 1, 65535, "port (1-65535)"));
        }

        var username = args.Single("mqtt-username");
        if (username is not null)
        {
            if (username.Length == 0)
            {
                throw new ProvisionException("Agent:Mqtt:Username: must not be empty");
            }

            Set(root, "Agent:Mqtt:Username", username);
        }

        if (args.Has("mqtt-password") && args.Has("mqtt-password-file"))
        {
            throw new ProvisionException("Agent:Mqtt:Password: give --mqtt-password or --mqtt-password-file, not both");
        }

        var password = args.Single("mqtt-password");
        if (args.Single("mqtt-password-file") is { } passwordFile)
        {
            password = ReadSecret("Agent:Mqtt:Password", passwordFile, "--mqtt-password-file");
        }

        if (password is not null)
        {
            if (username is null)
            {
                throw new ProvisionException("Agent:Mqtt:Username: required with a password (--mqtt-username)");
            }

            Set(root, "Agent:Mqtt:Password", password);
        }

        // Issue 12 item 4: TLS is the default; plain MQTT only when asked for by name.
        var caFile = args.Single("ca-file");
        var insecure = args.Has("insecure");
        if (insecure && (caFile is not null || args.Has("mqtt-tls")))
        {
            throw new ProvisionException($"Agent:Mqtt:UseTls: --insecure contradicts --{(caFile is not null ? "ca-file" : "mqtt-tls")}");
        }

        Set(root, "Agent:Mqtt:UseTls", !insecure);

        if (caFile is not null)
        {
            if (!File.Exists(caFile))
            {
                throw Invalid("Agent:Mqtt:CaFile", caFile, "does not exist");
            }

            Set(root, "Agent:Mqtt:CaFile", Path.GetFullPath(caFile));
        }
    }

    /// <summary>The first line of a secret file (so a password never has to appear on the command line).</summary>
    private static string ReadSecret(string key, string path, string flag)
    {
        if (!File.Exists(path))
        {
            throw Invalid(key, path, $"({flag}) does not exist");
        }

        return File.ReadLines(path).FirstOrDefault() ?? "";
    }

    private static void AddBoard(JsonObject root, ProvisionArguments args, string pinMapDirectory)
    {
        if (args.Single("board") is { } board)
        {
            if (!BoardSelection.Kinds.Contains(board))
            {
                throw Invalid("Agent:Board:Kind", board, $"is not a board kind ({string.Join(", ", BoardSelection.Kinds)})");
            }

            Set(root, "Agent:Board:Kind", board);
        }

        if (args.Single("pinmap") is { } pinMap)
        {
            if (pinMap.Contains('/', StringComparison.Ordinal))
            {
                if (!File.Exists(pinMap))
                {
                    throw Invalid("Agent:Board:PinMap", pinMap, "does not exist");
                }

                Set(root, "Agent:Board:PinMap", Path.GetFullPath(pinMap));
            }
            else
            {
                // A shipped map by name: "rpi5" or "rpi5.json" (the agent looks bare file names up in pinmaps/).
                var file = pinMap.EndsWith(".json", StringComparison.Ordinal) ? pinMap : pinMap + ".json";
                if (!File.Exists(Path.Combine(pinMapDirectory, file)))
                {
                    var known = Directory.Exists(pinMapDirectory)
                        ? string.Join(", ", Directory.EnumerateFiles(pinMapDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                        : "";
                    throw Invalid("Agent:Board:PinMap", pinMap, $"is not a pin map in {pinMapDirectory} (known: {(known.Length == 0 ? "none" : known)}; or give a path)");
                }

                Set(root, "Agent:Board:PinMap", file);
            }
        }
    }

    private static int Integer(string key, string text, int min, int max, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Invalid(key, text, $"is not a {what}");
        }

        return value;
    }

    private static ProvisionException Invalid(string key, string value, string problem) => new($"{key}: {value} {problem}");

    /// <summary>Sets "A:B:C" in the document, creating the objects on the way.</summary>
    private static void Set(JsonObject root, string key, JsonNode value)
    {
        var parts = key.Split(':');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }
}
