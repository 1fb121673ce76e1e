using System.Globalization;
using System.Security.Cryptography;
using GatewayAgent.Contracts.Api;
using MimeKit;

namespace GatewayAgent.Lab;

/// <summary>
/// The lab: gateway-controller on embedded defaults (MQTT broker, SQLite, SMTP sink writing .eml files), the carrier
/// edge (kamailio routing every call to the sites' numbers by the bulk-forward switch), a destination phone standing in
/// for the forward destinations, plus N simulated sites, each a real gateway-agent on the simulated board registered
/// at the edge and answering its contract's numbers on loopback, and a live view with commands that cut and restore a
/// site's power or WAN and place calls through the edge. With --nodes N: N controller nodes on a local PostgreSQL
/// cluster with mosquitto as the broker (docs/scale-out.md), the probes passing a relay per next hop
/// (<see cref="ProbeRelay"/>) that can cut one node off from the sites, and the view showing each site's owner node.
/// </summary>
public sealed class LabRunner : IAsyncDisposable
{
    private const string ApiKey = "lab-operator-key";
    private readonly LabOptions _options;
    private readonly TextWriter _out;
    private readonly List<ChildProcess> _children = [];
    private readonly List<(LabSite Site, long ContractId)> _sites = [];
    private readonly Dictionary<int, string> _lastState = [];
    private readonly Dictionary<int, string> _lastNumbers = [];
    private readonly List<string> _messages = [];
    private readonly ChildProcess?[] _nodes;
    private readonly ControllerApi?[] _apis;
    private readonly int[] _proberPorts;
    private readonly Dictionary<int, string> _owners = [];
    private LabPostgres? _postgres;
    private LabMosquitto? _mosquitto;
    private ProbeRelay? _edgeRelay;
    private ProbeRelay? _canaryRelay;
    private ChildProcess? _portal;
    private EdgeProcess? _edge;
    private DestinationPhone? _phone;
    private LabCaller? _caller;
    private RepoLayout? _layout;
    private string _data = "";
    private string _logs = "";
    private string _mailDirectory = "";

    public LabRunner(LabOptions options, TextWriter output)
    {
        _options = options;
        _out = output;
        _nodes = new ChildProcess?[options.NodeCount];
        _apis = new ControllerApi?[options.NodeCount];
        _proberPorts = new int[options.NodeCount];
    }

    /// <summary>Whether the lab runs controller nodes on PostgreSQL and mosquitto (--nodes).</summary>
    public bool Clustered => _options.Nodes is not null;

    /// <summary>The local PostgreSQL (--nodes); null otherwise or before the start.</summary>
    public LabPostgres? Postgres => _postgres;

    /// <summary>Node <paramref name="node"/>'s (1-based) cluster node id (Controller:Cluster:NodeId).</summary>
    public static string NodeId(int node) => "node" + node.ToString(CultureInfo.InvariantCulture);

    /// <summary>Node <paramref name="node"/>'s (1-based) API, whether it runs or not.</summary>
    public ControllerApi NodeApi(int node) => _apis[node - 1] ?? throw new InvalidOperationException("the lab has not started");

    /// <summary>Node <paramref name="node"/>'s (1-based) log file (its standard output and error, over all its runs).</summary>
    public string NodeLogFile(int node) => Path.Combine(_logs, Clustered ? $"controller-{node}.log" : "controller.log");

    /// <summary>Whether node <paramref name="node"/> (1-based) is running (started and not killed).</summary>
    public bool IsNodeRunning(int node)
    {
        lock (_children)
        {
            return _nodes[node - 1] is { HasExited: false };
        }
    }

    public IReadOnlyList<(LabSite Site, long ContractId)> Sites => _sites;

    public LabOptions Options => _options;

    /// <summary>The API of the first running node (any node serves the API); node 1's when none runs.</summary>
    public ControllerApi Api
    {
        get
        {
            for (var node = 1; node <= _nodes.Length; node++)
            {
                if (IsNodeRunning(node) && _apis[node - 1] is { } api)
                {
                    return api;
                }
            }

            return _apis[0] ?? throw new InvalidOperationException("the lab has not started");
        }
    }

    public string MailDirectory => _mailDirectory;

    /// <summary>The destination phone (answers every forwarded call); null before the start.</summary>
    public DestinationPhone? Destination => _phone;

    /// <summary>The edge's kamailio; null before the start.</summary>
    public EdgeProcess? Edge => _edge;

    /// <summary>
    /// Starts the controller, the destination phone, the sites' contracts, the edge (once the controller's database
    /// holds the contracts it loads) and the sites' agents; returns once every agent answers SIP.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var layout = RepoLayout.Find(AppContext.BaseDirectory, _options.Configuration);
        foreach (var dll in new[] { layout.ControllerDll, layout.PortalDll, layout.AgentDll, layout.EdgeConfig })
        {
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build first (./run.sh builds everything)");
            }
        }

        if (LabPorts.FirstInUse(_options) is { } busy)
        {
            throw new LabStartException(busy);
        }

        var data = Path.GetFullPath(_options.DataDirectory);
        if (_options.Fresh && Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        var logs = Directory.CreateDirectory(Path.Combine(data, "logs")).FullName;
        _mailDirectory = Directory.CreateDirectory(Path.Combine(data, "mail")).FullName;
        var secrets = LoadSecrets(Path.Combine(data, "site-passwords.txt"));

        _layout = layout;
        _data = data;
        _logs = logs;
        var canaryPort = _options.SipBasePort;
        if (Clustered)
        {
            await StartClusterInfrastructureAsync(secrets, cancellationToken).ConfigureAwait(false);
        }

        await StartControllerAsync(cancellationToken).ConfigureAwait(false);
        for (var node = 2; node <= _nodes.Length; node++)
        {
            await StartNodeAsync(node, cancellationToken).ConfigureAwait(false);
        }

        var portal = StartPortalAsync(cancellationToken); // on the database the controller has just migrated
        _phone = await DestinationPhone.StartAsync(_options.DestinationPort, cancellationToken).ConfigureAwait(false);
        _caller = await LabCaller.StartAsync(_options.EdgePort, cancellationToken).ConfigureAwait(false);
        Say($"destination phone answering on 127.0.0.1:{_options.DestinationPort}");

        // The canary: a site the prober knows to be up; when it misses, the controller blames itself, not the sites.
        var canaryDir = Directory.CreateDirectory(Path.Combine(data, "sites", "canary")).FullName;
        var starting = new List<Task>
        {
            StartAgentAsync(layout, "canary", canaryPort, ["0300000000"], canaryDir, logs, mqtt: null, cancellationToken),
        };

        for (var i = 1; i <= _options.Sites; i++)
        {
            var site = new LabSite(i, _options.SipBasePort + i, Directory.CreateDirectory(Path.Combine(data, "sites", i.ToString(CultureInfo.InvariantCulture))).FullName);
            if (!secrets.TryGetValue(site.SiteId, out var password))
            {
                password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
                secrets[site.SiteId] = password;
            }

            var proxy = _edgeRelay?.Port ?? _options.EdgePort;
            var id = await Api.UpsertContractAsync(site, password, $"udp:127.0.0.1:{proxy}", cancellationToken).ConfigureAwait(false);
            _sites.Add((site, id));
        }

        SaveSecrets(Path.Combine(data, "site-passwords.txt"), secrets);

        // The edge loads its tables from the controller's database at its start: after the contracts are in it.
        await StartEdgeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (site, _) in _sites)
        {
            starting.Add(StartAgentAsync(layout, $"site {site.Index}", site.SipPort, site.Numbers, site.DataDirectory, logs,
                (site.SiteId, secrets[site.SiteId]), cancellationToken));
        }

        await Task.WhenAll(starting).ConfigureAwait(false);
        await portal.ConfigureAwait(false);
        await PrintLoginsAsync(cancellationToken).ConfigureAwait(false);
        Say($"temporary-password IVR (SS-3): call {LabOptions.AccessNumber} at the edge from a site's number (the From user), e.g. sip:{LabOptions.AccessNumber}@127.0.0.1:{_options.EdgePort}; the controller listens on udp 127.0.0.1:{_options.IvrPort}");
        Say($"{_options.Sites} sites up; calls enter at the edge, udp/tcp 127.0.0.1:{_options.EdgePort}; probes every {_options.ProbeInterval.TotalSeconds:0.#} s, fast interval {_options.FastInterval.TotalSeconds:0.#} s after a dying gasp");
    }

    /// <summary>
    /// For --nodes: the PostgreSQL cluster (DIR/postgres), mosquitto with the controller's and the sites' accounts, and
    /// the relays the nodes' probes pass (to the edge and to the canary site).
    /// </summary>
    private async Task StartClusterInfrastructureAsync(Dictionary<string, string> secrets, CancellationToken cancellationToken)
    {
        Say($"starting PostgreSQL (cluster in {Path.Combine(_data, "postgres")})");
        _postgres = await LabPostgres.StartAsync(Path.Combine(_data, "postgres"), _options.PostgresPort, cancellationToken).ConfigureAwait(false);
        Say($"PostgreSQL on 127.0.0.1:{_postgres.Port}, database {LabPostgres.Database}");
        await ResetShardCountAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 1; i <= _options.Sites; i++)
        {
            var siteId = "lab-site-" + i.ToString(CultureInfo.InvariantCulture);
            if (!secrets.ContainsKey(siteId))
            {
                secrets[siteId] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            }
        }

        _mosquitto = await LabMosquitto.StartAsync(Path.Combine(_data, "mosquitto"), _options.MqttPort,
            secrets.Select(kv => (kv.Key, kv.Value)), Path.Combine(_logs, "mosquitto.log"), cancellationToken).ConfigureAwait(false);
        Say($"mosquitto on 127.0.0.1:{_options.MqttPort}, pid {_mosquitto.Id}");
        _edgeRelay = ProbeRelay.Start(_options.EdgePort);
        _canaryRelay = ProbeRelay.Start(_options.SipBasePort);
        for (var node = 1; node <= _nodes.Length; node++)
        {
            _proberPorts[node - 1] = FreeUdpPort();
        }
    }

    /// <summary>
    /// The lab's shard count (Controller:Cluster:Shards): one shard per site (at least one per node), so that the
    /// sites — contracts 1, 2, 3, … in shards 1, 2, 3, … — are spread over the nodes and a kill-node moves some.
    /// </summary>
    public int Shards => Math.Max(_options.Sites, _options.NodeCount);

    /// <summary>
    /// A kept lab-data whose shard table was made for another --sites: no node runs yet, so the table is emptied as
    /// docs/scale-out.md says to change the count (the first node makes it again).
    /// </summary>
    private async Task ResetShardCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_postgres!.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new Npgsql.NpgsqlCommand("SELECT to_regclass('cluster_shards') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
        {
            await using var reset = new Npgsql.NpgsqlCommand(
                "DELETE FROM cluster_shards WHERE (SELECT count(*) FROM cluster_shards) <> @shards; DELETE FROM cluster_nodes", connection);
            reset.Parameters.AddWithValue("shards", (long)Shards);
            await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The settings that choose the controller's database: SQLite in DIR/controller, or the lab's PostgreSQL.</summary>
    private IEnumerable<string> StorageArguments()
    {
        yield return $"--Controller:DataDirectory={Path.Combine(_data, "controller")}";
        if (_postgres is not null)
        {
            yield return "--Controller:Storage:Provider=postgres";
            yield return $"--ConnectionStrings:Controller={_postgres.ConnectionString}";
        }
    }

    /// <summary>Starts (or restarts) gateway-controller (node 1 with --nodes) on the lab's settings and waits until /healthz answers.</summary>
    public Task StartControllerAsync(CancellationToken cancellationToken) => StartNodeAsync(1, cancellationToken);

    /// <summary>Starts (or restarts) controller node <paramref name="node"/> (1-based) and waits until its /healthz answers.</summary>
    public async Task StartNodeAsync(int node, CancellationToken cancellationToken)
    {
        var name = Clustered ? $"gateway-controller (node {node})" : "gateway-controller";
        var logName = Clustered ? $"controller-{node}.log" : "controller.log";
        Say($"starting {name} (logs in {_logs})");
        List<string> cluster = [];
        if (Clustered)
        {
            cluster =
            [
                .. StorageArguments().Skip(1),
                "--Controller:Mqtt:Mode=External",
                "--Controller:Mqtt:Host=127.0.0.1",
                $"--Controller:Mqtt:Port={_options.MqttPort}",
                $"--Controller:Mqtt:Username={LabMosquitto.ControllerUser}",
                $"--Controller:Mqtt:Password={_mosquitto!.ControllerPassword}",
                $"--Controller:Mqtt:ClientId=gateway-controller-{NodeId(node)}",
                "--Controller:Mqtt:ReconnectMaxDelay=00:00:05",
                $"--Controller:Cluster:NodeId={NodeId(node)}",
                $"--Controller:Cluster:LeaseTime={_options.LeaseTime}",
                $"--Controller:Cluster:Heartbeat={_options.Heartbeat}",
                $"--Controller:Cluster:Shards={Shards}",
                $"--Controller:Probing:Listen=udp:127.0.0.1:{_proberPorts[node - 1]}",
                $"--Controller:Probing:CanaryOutboundProxy=udp:127.0.0.1:{_canaryRelay!.Port}",
            ];
        }

        var httpPort = _options.NodeHttpPort(node);
        var controller = ChildProcess.Start(name, _layout!.ControllerDll,
        [
            $"--Controller:DataDirectory={Path.Combine(_data, Clustered ? $"controller-{node}" : "controller")}",
            $"--Controller:Urls=http://127.0.0.1:{httpPort}",
            $"--Controller:Api:Keys:0={ApiKey}",
            $"--Controller:Mqtt:Listen=127.0.0.1:{_options.MqttPort}",
            // Every simulated site connects from 127.0.0.1, and all reconnect at once after a controller restart.
            "--Controller:Mqtt:Limits:ConnectionBurst=10000",
            "--Controller:Mqtt:Limits:MaxConnectionsPerSource=10000",
            "--Controller:Mail:Sink:Enabled=true",
            $"--Controller:Mail:Sink:Listen=127.0.0.1:{_options.NodeSmtpPort(node)}",
            $"--Controller:Mail:Sink:Directory={_mailDirectory}",
            "--Controller:Mail:PollInterval=00:00:01",
            "--Controller:Mail:SettingsUrl=" + PortalUrl, // the mails point at the lab's settings site
            $"--Controller:Probing:Interval={_options.ProbeInterval}",
            $"--Controller:Probing:FastInterval={_options.FastInterval}",
            $"--Controller:Probing:Timeout={_options.ProbeTimeout}",
            $"--Controller:Probing:Canary=sip:0300000000@127.0.0.1:{_options.SipBasePort}",
            $"--Controller:Edge:RpcUrls:0=http://127.0.0.1:{_options.EdgeRpcPort}/RPC",
            $"--Controller:Edge:Realm={EdgeProcess.Realm}",
            .. cluster,
            .. (node == 1 ? IvrArguments() : []),
            .. _options.ControllerArguments,
        ], Path.Combine(_logs, logName));
        lock (_children)
        {
            _nodes[node - 1] = controller;
        }

        Say($"{name} started, pid {controller.Id}" + (Clustered ? $", API http://127.0.0.1:{httpPort}" : ""));

        var api = _apis[node - 1] ??= new ControllerApi(new Uri($"http://127.0.0.1:{httpPort}"), ApiKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await api.IsHealthyAsync(cancellationToken).ConfigureAwait(false))
        {
            if (controller.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{name} did not become healthy; its last output:\n" + controller.RecentOutput);
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SS-3: the temporary-password IVR on the access number, reached through the edge, which asserts the line. One
    /// node runs it (with --nodes, node 1): the edge routes the access number to one port.
    /// </summary>
    private string[] IvrArguments() =>
    [
        $"--Controller:Ivr:Listen:0=udp:127.0.0.1:{_options.IvrPort}",
        $"--Controller:Ivr:AccessNumber={LabOptions.AccessNumber}",
        "--Controller:Ivr:TrustedEdges:0=127.0.0.1",
        "--Controller:Ivr:Rtp:BindAddress=127.0.0.1",
        "--Controller:Ivr:Rtp:MinPort=30000",
        "--Controller:Ivr:Rtp:MaxPort=30999",
    ];

    /// <summary>The settings site's address: http://127.0.0.1:--portal-port/.</summary>
    public string PortalUrl => $"http://127.0.0.1:{_options.PortalPort.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>Starts gateway-portal next to the controller, on the same database, and waits until its /healthz answers.</summary>
    private async Task StartPortalAsync(CancellationToken cancellationToken)
    {
        var portal = ChildProcess.Start("gateway-portal", _layout!.PortalDll,
        [
            .. StorageArguments(),
            $"--Portal:Urls=http://127.0.0.1:{_options.PortalPort}",
        ], Path.Combine(_logs, "portal.log"));
        lock (_children)
        {
            _portal = portal;
        }

        Say($"gateway-portal started, pid {portal.Id}");
        using var http = new HttpClient { BaseAddress = new Uri(PortalUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("healthz", cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
            }

            if (portal.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("gateway-portal did not become healthy; its last output:\n" + portal.RecentOutput);
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        Say($"settings site on {PortalUrl}");
    }

    /// <summary>
    /// For each site, a fresh temporary password for its contract number's line-unit login (SS-3, valid 24 h), issued
    /// through the store the IVR uses (gateway-portal issue-temporary-password, as a call from the contract number),
    /// printed so a user can log in at once.
    /// </summary>
    private async Task PrintLoginsAsync(CancellationToken cancellationToken)
    {
        var issued = await Task.WhenAll(_sites.Select(s => IssueTemporaryPasswordAsync(s.Site, cancellationToken))).ConfigureAwait(false);
        foreach (var line in issued)
        {
            Say(line);
        }
    }

    private async Task<string> IssueTemporaryPasswordAsync(LabSite site, CancellationToken cancellationToken)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])
        [
            _layout!.PortalDll, "issue-temporary-password", "--calling", site.ContractNumber, "--unit", "line",
            .. StorageArguments(),
        ])
        {
            info.ArgumentList.Add(argument);
        }

        using var issue = System.Diagnostics.Process.Start(info)!;
        var output = issue.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = issue.StandardError.ReadToEndAsync(cancellationToken);
        await issue.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var line = (await output.ConfigureAwait(false)).Trim().Split(' ');
        return issue.ExitCode == 0 && line.Length == 2
            ? $"site {site.Index}: log in at {PortalUrl} with {line[0]} and the temporary password {line[1]} (valid 24 h; change it at first login)"
            : $"site {site.Index}: no temporary password: {(await error.ConfigureAwait(false)).Trim()}";
    }

    /// <summary>SIGKILL of the controller (node 1 with --nodes): no shutdown code runs (a crash, a power cut of the cloud node).</summary>
    public Task KillControllerAsync() => KillNodeAsync(1);

    /// <summary>SIGKILL of controller node <paramref name="node"/> (1-based): its leases stay in the table until they end.</summary>
    public async Task KillNodeAsync(int node)
    {
        ChildProcess? controller;
        lock (_children)
        {
            controller = _nodes[node - 1];
            _nodes[node - 1] = null;
        }

        if (controller is not null)
        {
            await controller.KillAsync().ConfigureAwait(false);
            await controller.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts kamailio on the controller's database and waits until it answers JSON-RPC.</summary>
    private async Task StartEdgeAsync(CancellationToken cancellationToken)
    {
        var database = _postgres?.EdgeUrl ?? Path.Combine(_data, "controller", "controller.db");
        if (_postgres is null && !File.Exists(database))
        {
            throw new InvalidOperationException($"{database} is missing: the controller did not create its database");
        }

        Say($"starting the edge (kamailio, log in {Path.Combine(_logs, "edge.log")})");
        _edge = await EdgeProcess.StartAsync(_layout!.EdgeConfig, Path.Combine(_data, "edge"), database, Path.Combine(_logs, "edge.log"), _options,
            cancellationToken).ConfigureAwait(false);
        Say($"kamailio (edge) started, pid {_edge.Id}");
    }

    private async Task StartAgentAsync(RepoLayout layout, string name, int sipPort, IReadOnlyList<string> numbers, string dir, string logs,
        (string SiteId, string Password)? mqtt, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            $"--Agent:Sip:Listen:0=udp:127.0.0.1:{sipPort}",
            $"--Agent:Sip:Listen:1=tcp:127.0.0.1:{sipPort}",
            .. numbers.Select((number, i) => $"--Agent:Sip:MonitorNumbers:{i}={number}"),
            "--Agent:Sip:Rtp:MinPort=40000",
            "--Agent:Sip:Rtp:MaxPort=49999",
            "--Agent:Board:Kind=sim",
            $"--Agent:LocalControl:Socket={Path.Combine(dir, "control.sock")}",
            $"--Agent:Telemetry:SpoolDirectory={Path.Combine(dir, "spool")}",
        ];
        if (mqtt is { } credentials)
        {
            arguments.Add($"--Agent:SiteId={credentials.SiteId}");
            arguments.Add("--Agent:Mqtt:Host=127.0.0.1");
            arguments.Add($"--Agent:Mqtt:Port={_options.MqttPort}");
            arguments.Add($"--Agent:Mqtt:Username={credentials.SiteId}");
            arguments.Add($"--Agent:Mqtt:Password={credentials.Password}");
            arguments.Add("--Agent:Telemetry:Interval=00:00:05");
            // A site registers at the edge as its site id with its site password (the edge has the HA1).
            arguments.Add($"--Agent:Sip:Register:Registrar=udp:127.0.0.1:{_options.EdgePort}");
            arguments.Add($"--Agent:Sip:Register:User={credentials.SiteId}");
            arguments.Add($"--Agent:Sip:Register:Password={credentials.Password}");
            arguments.Add($"--Agent:Sip:Register:Domain={EdgeProcess.Realm}");
        }

        var logName = name.Replace(' ', '-') + ".log";
        var agent = ChildProcess.Start($"gateway-agent ({name})", layout.AgentDll, arguments, Path.Combine(logs, logName));
        lock (_children)
        {
            _children.Add(agent);
        }

        Say($"{agent.Name} started, pid {agent.Id}");
        await agent.WaitForOutputAsync("SIP listening on", TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the live view and the command loop until "quit", end of input, the duration, or cancellation.</summary>
    public async Task RunConsoleAsync(TextReader input, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var interactive = !_options.Plain && !Console.IsOutputRedirected;
        // Not awaited: a console read cannot be cancelled; the reader ends with the process.
        _ = Task.Run(() => ReadCommandsAsync(input, stop), CancellationToken.None);
        if (!interactive)
        {
            _out.WriteLine(LabOptions.Usage.Split('\n').SkipWhile(l => !l.Contains("Commands", StringComparison.Ordinal)).Aggregate("", (a, l) => a + l + "\n").TrimEnd());
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                var views = await ReadViewsAsync(stop.Token).ConfigureAwait(false);
                if (interactive)
                {
                    Render(views);
                }
                else
                {
                    PrintChanges(views);
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await stop.CancelAsync().ConfigureAwait(false);
    }

    private async Task ReadCommandsAsync(TextReader input, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await input.ReadLineAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (line is null)
            {
                // End of input: keep running until the duration (scripted runs) or quit (interactive).
                if (_options.Duration is null && !Console.IsInputRedirected)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }

                return;
            }

            var command = LabCommand.Parse(line, _options.Sites, out var error, _options.Nodes ?? 0);
            if (command is null)
            {
                if (error is not null)
                {
                    Say(error);
                }

                continue;
            }

            try
            {
                await ExecuteAsync(command, stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                Say($"{line.Trim()}: {ex.Message}");
            }
        }
    }

    /// <summary>Carries out one console command (also used by the end-to-end tests).</summary>
    public async Task ExecuteAsync(LabCommand command, CancellationTokenSource stop)
    {
        switch (command.Verb)
        {
            case "quit":
                await stop.CancelAsync().ConfigureAwait(false);
                return;
            case "help":
                Say(LabOptions.Usage);
                return;
            case "mails":
                foreach (var line in ListMails())
                {
                    Say(line);
                }

                return;
            case "call":
                Say(await CallAsync(command.Site, command.Number, stop.Token).ConfigureAwait(false));
                return;
            case "kill-node":
                if (!IsNodeRunning(command.Site))
                {
                    Say($"node {command.Site} is not running");
                    return;
                }

                await KillNodeAsync(command.Site).ConfigureAwait(false);
                Say($"node {command.Site} killed (SIGKILL); its sites move to the other nodes when its leases end (within {_options.LeaseTime.TotalSeconds:0.#} s)");
                return;
            case "start-node":
                if (IsNodeRunning(command.Site))
                {
                    Say($"node {command.Site} is running");
                    return;
                }

                await StartNodeAsync(command.Site, stop.Token).ConfigureAwait(false);
                return;
            case "cut-node" or "heal-node":
                CutNode(command.Site, command.Verb == "cut-node");
                Say(command.Verb == "cut-node"
                    ? $"node {command.Site} cut off from the sites (its probes and canary calls are dropped); it still reaches the database and the broker"
                    : $"node {command.Site} reaches the sites again");
                return;
        }

        var site = _sites.First(s => s.Site.Index == command.Site).Site;
        string[] assignments = command.Verb switch
        {
            "power" => [$"power-good={(command.On ? 1 : 0)}"],
            "wan" => [$"wan={(command.On ? 1 : 0)}"],
            _ => ["power-good=1", "wan=1"],
        };
        await SiteControl.SimSetAsync(site.ControlSocket, assignments, stop.Token).ConfigureAwait(false);
        Say($"site {site.Index}: {string.Join(' ', assignments)}");
    }

    /// <summary>
    /// Cuts node <paramref name="node"/> (1-based) off from the sites (<paramref name="cut"/>) or joins it again: the relays
    /// between the nodes and the edge and the canary site drop or pass its prober's datagrams.
    /// </summary>
    public void CutNode(int node, bool cut)
    {
        if (_edgeRelay is null || _canaryRelay is null)
        {
            throw new InvalidOperationException("cut-node needs --nodes");
        }

        _edgeRelay.Cut(_proberPorts[node - 1], cut);
        _canaryRelay.Cut(_proberPorts[node - 1], cut);
    }

    /// <summary>
    /// For --nodes: the node id owning each site's contract now (its shard's owner in cluster_shards, read from the
    /// lab's PostgreSQL), "none" while nobody holds it (between a lease's end and the takeover); empty otherwise.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, string>> ReadOwnersAsync(CancellationToken cancellationToken)
    {
        var owners = new Dictionary<long, string>();
        if (_postgres is null)
        {
            return owners;
        }

        await using var connection = new Npgsql.NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new Npgsql.NpgsqlCommand(
            """
            SELECT c.id, s.owner, s.lease_until FROM contracts c
            JOIN cluster_shards s ON s.shard = c.id % (SELECT count(*) FROM cluster_shards)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var owner = reader.IsDBNull(1) ? null : reader.GetString(1);
            owners[reader.GetInt64(0)] = owner is null ? "none" : reader.GetInt64(2) <= now ? owner + " (lease ended)" : owner;
        }

        return owners;
    }

    /// <summary>
    /// One call through the edge to <paramref name="number"/> (null: site <paramref name="site"/>'s first number with a
    /// destination, read from the controller now, else its contract number), ended with ACK and BYE when answered (the
    /// IVR's access number is called from the site's contract number);
    /// returns the line the "call" command prints (<see cref="LabCaller.Describe"/>).
    /// </summary>
    public async Task<string> CallAsync(int site, string? number, CancellationToken cancellationToken)
    {
        var caller = _caller ?? throw new InvalidOperationException("the lab has not started");
        var (_, id) = _sites.First(s => s.Site.Index == site);
        if (number is null)
        {
            var contract = await Api.GetContractAsync(id, cancellationToken).ConfigureAwait(false)
                           ?? throw new InvalidOperationException($"site {site}'s contract {id} is gone");
            number = DefaultNumber(contract);
        }

        // The access number is called from the site's contract number: the IVR takes only a contract's line (SS-3).
        var result = number == LabOptions.AccessNumber
            ? await caller.CallAsync(number, _sites.First(s => s.Site.Index == site).Site.ContractNumber, cancellationToken).ConfigureAwait(false)
            : await caller.CallAsync(number, cancellationToken).ConfigureAwait(false);
        return LabCaller.Describe(number, result.FinalStatus, result.AnsweredContact, _sites.Select(s => s.Site), _options.DestinationPort, _options.IvrPort);
    }

    /// <summary>The contract's first number (contract number, then the additional numbers) that has a destination; else the contract number.</summary>
    public static string DefaultNumber(ContractRecord contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new[] { contract.ContractNumber }.Concat(contract.AdditionalNumbers)
            .FirstOrDefault(n => contract.Destinations.Any(d => d.Number == n)) ?? contract.ContractNumber;
    }

    /// <summary>The .eml files the SMTP sink stored, oldest first: time, recipient and decoded subject.</summary>
    public IReadOnlyList<string> ListMails()
    {
        var lines = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_mailDirectory, "*.eml").Order(StringComparer.Ordinal))
        {
            try
            {
                using var message = MimeMessage.Load(file);
                lines.Add($"{message.Date:yyyy/MM/dd HH:mm:ss} to {string.Join(", ", message.To.Mailboxes.Select(m => m.Address))}: {message.Subject}  ({Path.GetFileName(file)})");
            }
            catch (FormatException)
            {
                lines.Add($"(unreadable) {Path.GetFileName(file)}");
            }
        }

        return lines.Count == 0 ? ["no mail yet"] : lines;
    }

    private async Task<IReadOnlyList<SiteView>> ReadViewsAsync(CancellationToken cancellationToken)
    {
        var views = new List<SiteView>(_sites.Count);
        IReadOnlyDictionary<long, string> owners = new Dictionary<long, string>();
        if (Clustered)
        {
            try
            {
                owners = await ReadOwnersAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Npgsql.NpgsqlException)
            {
            }
        }

        IReadOnlyList<ContractRecord> contracts = [];
        try
        {
            contracts = await Api.ListContractsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
        }

        foreach (var (site, id) in _sites)
        {
            try
            {
                var status = await Api.GetStatusAsync(id, cancellationToken).ConfigureAwait(false);
                var probe = await Api.GetLastProbeAsync(id, cancellationToken).ConfigureAwait(false);
                var mails = await Api.GetMailsAsync(id, cancellationToken).ConfigureAwait(false);
                var numbers = contracts.FirstOrDefault(c => c.Id == id) is { } contract ? SiteView.FormatNumbers(contract) : "?";
                views.Add(ToView(site, status, probe, mails) with { Numbers = numbers, Owner = Clustered ? owners.GetValueOrDefault(id, "?") : "" });
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                views.Add(new SiteView(site.Index, site.ContractNumber, "?", "?", "?", "controller unreachable", ex.Message, "?", 0, 0, "?",
                    Clustered ? owners.GetValueOrDefault(id, "?") : ""));
            }
        }

        return views;
    }

    private static SiteView ToView(LabSite site, ContractStatus? status, ProbeHistoryEntry? probe, IReadOnlyList<OutboxEntry> mails)
    {
        var live = status?.Live;
        var detector = status?.Detector is { } d
            ? d.State.ToUpperInvariant() + (d.Misses > 0 ? $" {d.Misses} miss" : "") + (d.Reached > 0 && d.State.Equals("failed", StringComparison.OrdinalIgnoreCase) ? $" {d.Reached} ok" : "")
            : "?";
        var lastProbe = probe is null
            ? "-"
            : $"{probe.Outcome.ToString().ToLowerInvariant()} {(probe.Status?.ToString(CultureInfo.InvariantCulture) ?? probe.Detail)}" +
              (probe.SetupTime is { } setup ? $" {setup.TotalMilliseconds:0} ms" : "");
        var forwarding = status?.Forwarding is { } f ? (f.On ? $"ON ({f.Reason})" : "off") : "?";
        return new SiteView(
            site.Index,
            site.ContractNumber,
            live is null ? "unknown" : live.Online ? "online" : "OFFLINE",
            live?.Power ?? "?",
            live?.Wan ?? "?",
            detector,
            lastProbe,
            forwarding,
            mails.Count(m => m.Status.Equals("delivered", StringComparison.OrdinalIgnoreCase)),
            mails.Count(m => m.Status.Equals("pending", StringComparison.OrdinalIgnoreCase)));
    }

    private void Render(IReadOnlyList<SiteView> views)
    {
        var screen = new System.Text.StringBuilder();
        screen.Append("\u001b[H\u001b[2J");
        screen.AppendLine(CultureInfo.InvariantCulture,
            $"GatewayAgent lab  {DateTime.UtcNow:HH:mm:ss} UTC   API http://127.0.0.1:{_options.HttpPort} (X-Api-Key: {ApiKey})   MQTT 127.0.0.1:{_options.MqttPort}   mail → {_mailDirectory}");
        screen.AppendLine(CultureInfo.InvariantCulture,
            $"edge sip:127.0.0.1:{_options.EdgePort} (udp/tcp, JSON-RPC {_options.EdgeRpcPort})   destination phone 127.0.0.1:{_options.DestinationPort}   edge log → {Path.Combine(_logs, "edge.log")}");
        if (Clustered)
        {
            screen.AppendLine(CultureInfo.InvariantCulture,
                $"PostgreSQL 127.0.0.1:{_postgres?.Port} (mosquitto 127.0.0.1:{_options.MqttPort}, lease {_options.LeaseTime.TotalSeconds:0.#} s, heartbeat {_options.Heartbeat.TotalSeconds:0.#} s)");
            screen.AppendLine(NodesLine());
        }

        screen.AppendLine();
        screen.AppendLine(Clustered ? SiteView.ClusterHeader : SiteView.Header);
        foreach (var view in views)
        {
            screen.AppendLine(Clustered ? view.ClusterRow : view.Row);
            screen.AppendLine((Clustered ? new string(' ', 21) : "") + view.NumbersLine); // under the site column
        }

        screen.AppendLine();
        screen.AppendLine("commands: power N off|on · wan N off|on · restore N · call N [NUMBER] · mails · help · quit");
        if (Clustered)
        {
            screen.AppendLine("          kill-node K · start-node K · cut-node K · heal-node K");
        }

        lock (_messages)
        {
            foreach (var message in _messages.TakeLast(8))
            {
                screen.AppendLine(message);
            }
        }

        screen.Append("> ");
        _out.Write(screen.ToString());
        _out.Flush();
    }

    /// <summary>"nodes: node1 running (http 8080) · node2 KILLED · …" for the view.</summary>
    private string NodesLine() =>
        "nodes: " + string.Join(" · ", Enumerable.Range(1, _nodes.Length).Select(node =>
            $"{NodeId(node)} {(IsNodeRunning(node) ? "running" : "KILLED")} (API :{_options.NodeHttpPort(node)})"));

    private void PrintChanges(IReadOnlyList<SiteView> views)
    {
        foreach (var view in views)
        {
            if (_lastState.TryGetValue(view.Index, out var last) && last == view.StateKey)
            {
                continue;
            }

            if (_lastState.Count == 0)
            {
                _out.WriteLine("         " + (Clustered ? SiteView.ClusterHeader : SiteView.Header));
            }

            _lastState[view.Index] = view.StateKey;
            _out.WriteLine($"{DateTime.UtcNow:HH:mm:ss} " + (Clustered ? view.ClusterRow : view.Row));
        }

        if (Clustered)
        {
            foreach (var view in views)
            {
                if (!_owners.TryGetValue(view.Index, out var owner) || owner != view.Owner)
                {
                    _owners[view.Index] = view.Owner;
                    _out.WriteLine($"{DateTime.UtcNow:HH:mm:ss} site {view.Index} owner: {view.Owner}");
                }
            }
        }

        foreach (var view in views)
        {
            if (!_lastNumbers.TryGetValue(view.Index, out var numbers) || numbers != view.Numbers)
            {
                _lastNumbers[view.Index] = view.Numbers;
                _out.WriteLine($"{DateTime.UtcNow:HH:mm:ss} site {view.Index} numbers: {view.Numbers}");
            }
        }

        _out.Flush();
    }

    private void Say(string message)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss} {message}";
        lock (_messages)
        {
            _messages.Add(line);
        }

        if (_options.Plain || Console.IsOutputRedirected)
        {
            _out.WriteLine(line);
        }
    }

    private static Dictionary<string, string> LoadSecrets(string path)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2)
                {
                    secrets[parts[0]] = parts[1];
                }
            }
        }

        return secrets;
    }

    private static void SaveSecrets(string path, Dictionary<string, string> secrets)
    {
        File.WriteAllLines(path, secrets.Select(kv => $"{kv.Key} {kv.Value}"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ChildProcess[] agents;
        ChildProcess[] controllers;
        lock (_children)
        {
            agents = [.. _children];
            controllers = [.. _nodes.OfType<ChildProcess>()];
        }

        ChildProcess? portal;
        lock (_children)
        {
            portal = _portal;
        }

        // Agents first (they publish agent.stopping to the broker), then the edge and the in-process phones, then the
        // settings site and the controller.
        await Task.WhenAll(agents.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        if (_edge is not null)
        {
            await _edge.DisposeAsync().ConfigureAwait(false);
        }

        if (_caller is not null)
        {
            await _caller.DisposeAsync().ConfigureAwait(false);
        }

        if (_phone is not null)
        {
            await _phone.DisposeAsync().ConfigureAwait(false);
        }

        if (portal is not null)
        {
            await portal.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(controllers.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        foreach (var api in _apis)
        {
            api?.Dispose();
        }

        // --nodes: the relays, the broker and the database last (the nodes have stopped).
        if (_edgeRelay is not null)
        {
            await _edgeRelay.DisposeAsync().ConfigureAwait(false);
        }

        if (_canaryRelay is not null)
        {
            await _canaryRelay.DisposeAsync().ConfigureAwait(false);
        }

        if (_mosquitto is not null)
        {
            await _mosquitto.DisposeAsync().ConfigureAwait(false);
        }

        if (_postgres is not null)
        {
            try
            {
                await _postgres.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (InvalidOperationException ex)
            {
                await _out.WriteLineAsync($"gateway-lab: could not stop PostgreSQL: {ex.Message}").ConfigureAwait(false);
            }
        }
    }
}
