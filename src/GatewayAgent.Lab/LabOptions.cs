using System.Globalization;

namespace GatewayAgent.Lab;

/// <summary>gateway-lab options, from --flags (see <see cref="Usage"/>).</summary>
public sealed record LabOptions
{
    public int Sites { get; init; } = 3;
    public string DataDirectory { get; init; } = "lab-data";
    public bool Fresh { get; init; }
    public int HttpPort { get; init; } = 8080;
    /// <summary>The customers' settings site (gateway-portal) on 127.0.0.1, over the controller's database.</summary>
    public int PortalPort { get; init; } = 8081;
    public int MqttPort { get; init; } = 1883;
    public int SmtpPort { get; init; } = 2525;
    /// <summary>First agent SIP port; site n listens on SipBasePort + n.</summary>
    public int SipBasePort { get; init; } = 15060;
    /// <summary>The carrier edge's (kamailio's) SIP port on 127.0.0.1, UDP and TCP: calls and probes enter here.</summary>
    public int EdgePort { get; init; } = 5060;
    /// <summary>The edge's JSON-RPC port (TCP) the controller pushes routing changes to.</summary>
    public int EdgeRpcPort { get; init; } = 5065;
    /// <summary>The destination phone's SIP port (UDP and TCP): the edge's next hop for forwarded calls.</summary>
    public int DestinationPort { get; init; } = 5090;
    /// <summary>The controller's temporary-password IVR (SS-3), UDP on 127.0.0.1: the edge's next hop for <see cref="AccessNumber"/>.</summary>
    public int IvrPort { get; init; } = 5080;
    /// <summary>The IVR's access number in the lab: a call to it through the edge reaches the IVR (SS-3).</summary>
    public const string AccessNumber = "0120555555";
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan FastInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(3);
    public string Configuration { get; init; } = "Release";
    /// <summary>Run for this long, then stop (for scripted demos and smoke tests); null = until "quit".</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Print state changes as lines instead of redrawing a table (also when stdout is not a terminal).</summary>
    public bool Plain { get; init; }
    /// <summary>
    /// Controller nodes on a local PostgreSQL cluster with mosquitto as the broker (--nodes N); null: one controller on
    /// embedded defaults (SQLite, embedded broker), as without the option.
    /// </summary>
    public int? Nodes { get; init; }
    /// <summary>With --nodes: how long a node's heartbeat and shard leases are valid (Controller:Cluster:LeaseTime).</summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>With --nodes: the nodes' heartbeat period (Controller:Cluster:Heartbeat), at most half of <see cref="LeaseTime"/>.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>With --nodes: the local PostgreSQL's port (0: a free port chosen at start).</summary>
    public int PostgresPort { get; init; }
    /// <summary>With --nodes: node K's HTTP port (API); null: --http-port + 10 × (K − 1).</summary>
    public IReadOnlyList<int>? NodeHttpPorts { get; init; }
    /// <summary>Extra --Key=value settings for the controller (after the lab's own, so they win); used by the end-to-end tests.</summary>
    public IReadOnlyList<string> ControllerArguments { get; init; } = [];

    public const string Usage = """
        usage: gateway-lab [--sites N] [--data DIR] [--fresh] [--http-port P] [--portal-port P] [--mqtt-port P] [--smtp-port P]
                           [--sip-base-port P] [--edge-port P] [--edge-rpc-port P] [--destination-port P] [--ivr-port P]
                           [--interval SECONDS] [--fast-interval SECONDS] [--timeout SECONDS]
                           [--nodes N [--lease SECONDS] [--heartbeat SECONDS] [--pg-port P]]
                           [--duration SECONDS] [--plain] [--configuration Release|Debug]
        Starts gateway-controller (embedded MQTT broker, SQLite, SMTP sink writing .eml files), the carrier edge
        (kamailio on 127.0.0.1:--edge-port, default 5060, routing calls by the bulk-forward switch), a destination
        phone (127.0.0.1:--destination-port, default 5090) and N simulated sites (real gateway-agent processes with
        simulated boards, registered at the edge) and the customers' settings site gateway-portal on
        http://127.0.0.1:--portal-port (default 8081; each site's login number and a temporary password are printed
        at start), then shows a live view. The controller's temporary-password IVR (SS-3) listens on
        udp 127.0.0.1:--ivr-port (default 5080); a call through the edge to the access number 0120555555 from a
        site's number (the From user; the edge asserts it) reaches it: 1 line, 2 number, 3 admin/user, 8 digits twice.
        --nodes N (1-5) runs N controller nodes instead (docs/scale-out.md): a local PostgreSQL cluster created in
        DIR/postgres (initdb, on --pg-port or a free port) and mosquitto on --mqtt-port as the broker; node K serves
        the API on --http-port + 10 × (K − 1) and its SMTP sink on --smtp-port + K − 1; --lease (default 10) and
        --heartbeat (default 2) set the nodes' lease time and heartbeat. The view shows which node owns each site; node 1
        runs the IVR. ./run.sh installs postgresql, mosquitto and kamailio-postgres-modules (Debian) when missing.
        Commands (type and press Enter):
          power N off|on     cut / restore mains at site N (the agent publishes power.lost; the site stops answering)
          wan N off|on       cut / restore the access line of site N (the agent stops answering probes)
          restore N          power on and WAN up at site N
          call N [NUMBER]    call NUMBER (default: site N's first number with a destination) through the edge and
                             say who answered: "answered by site N", "answered by destination D", "busy (486)";
                             call N 0120555555 calls the IVR from site N's contract number ("answered by the IVR")
          mails              list the mails the SMTP sink received
          kill-node K        (--nodes) SIGKILL controller node K: its sites move to the other nodes once its
                             leases end (--lease), and the view shows the new owner
          start-node K       (--nodes) start controller node K again: it takes its share of the sites back
          cut-node K / heal-node K
                             (--nodes) drop / pass node K's probes and canary calls (a relay between the nodes and
                             the sites): its canary fails, it mails nobody and yields its sites to the other nodes
          help               this text
          quit               stop everything
        """;

    public static LabOptions Parse(string[] args)
    {
        var options = new LabOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{arg} needs a value");
                }

                return args[++i];
            }

            options = arg switch
            {
                "--sites" => options with { Sites = Int(arg, Value(), 1, 50) },
                "--data" => options with { DataDirectory = Value() },
                "--fresh" => options with { Fresh = true },
                "--http-port" => options with { HttpPort = Int(arg, Value(), 1, 65535) },
                "--portal-port" => options with { PortalPort = Int(arg, Value(), 1, 65535) },
                "--mqtt-port" => options with { MqttPort = Int(arg, Value(), 1, 65535) },
                "--smtp-port" => options with { SmtpPort = Int(arg, Value(), 1, 65535) },
                "--sip-base-port" => options with { SipBasePort = Int(arg, Value(), 1, 65000) },
                "--edge-port" => options with { EdgePort = Int(arg, Value(), 1, 65535) },
                "--edge-rpc-port" => options with { EdgeRpcPort = Int(arg, Value(), 1, 65535) },
                "--destination-port" => options with { DestinationPort = Int(arg, Value(), 1, 65535) },
                "--ivr-port" => options with { IvrPort = Int(arg, Value(), 1, 65535) },
                "--interval" => options with { ProbeInterval = Seconds(arg, Value()) },
                "--fast-interval" => options with { FastInterval = Seconds(arg, Value()) },
                "--timeout" => options with { ProbeTimeout = Seconds(arg, Value()) },
                "--duration" => options with { Duration = Seconds(arg, Value()) },
                "--plain" => options with { Plain = true },
                "--nodes" => options with { Nodes = Int(arg, Value(), 1, MaxNodes) },
                "--lease" => options with { LeaseTime = Seconds(arg, Value()) },
                "--heartbeat" => options with { Heartbeat = Seconds(arg, Value()) },
                "--pg-port" => options with { PostgresPort = Int(arg, Value(), 1, 65535) },
                "--configuration" => options with { Configuration = Value() },
                _ => throw new ArgumentException($"unknown option '{arg}'"),
            };
        }

        if (options.Heartbeat * 2 > options.LeaseTime)
        {
            throw new ArgumentException($"--heartbeat ({options.Heartbeat.TotalSeconds:0.#} s) must be at most half of --lease ({options.LeaseTime.TotalSeconds:0.#} s)");
        }

        return options;
    }

    /// <summary>The most controller nodes --nodes starts.</summary>
    public const int MaxNodes = 5;

    /// <summary>How many controller processes the lab runs: --nodes, else one.</summary>
    public int NodeCount => Nodes ?? 1;

    /// <summary>Node <paramref name="node"/>'s (1-based) HTTP port.</summary>
    public int NodeHttpPort(int node) =>
        NodeHttpPorts is { } ports ? ports[node - 1] : HttpPort + (10 * (node - 1));

    /// <summary>Node <paramref name="node"/>'s (1-based) SMTP sink port.</summary>
    public int NodeSmtpPort(int node) => SmtpPort + node - 1;

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name}: '{value}' is not a number from {min} to {max}");

    private static TimeSpan Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"{name}: '{value}' is not a number of seconds (0-3600]");
}
