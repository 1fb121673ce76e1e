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
/// site's power or WAN and place calls through the edge.
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
    private ControllerApi? _api;
    private ChildProcess? _controller;
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
    }

    public IReadOnlyList<(LabSite Site, long ContractId)> Sites => _sites;

    public LabOptions Options => _options;

    public ControllerApi Api => _api ?? throw new InvalidOperationException("the lab has not started");

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
        await StartControllerAsync(cancellationToken).ConfigureAwait(false);
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

            var id = await Api.UpsertContractAsync(site, password, $"udp:127.0.0.1:{_options.EdgePort}", cancellationToken).ConfigureAwait(false);
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

    /// <summary>Starts (or restarts) gateway-controller on the lab's settings and waits until /healthz answers.</summary>
    public async Task StartControllerAsync(CancellationToken cancellationToken)
    {
        Say($"starting gateway-controller (logs in {_logs})");
        var controller = ChildProcess.Start("gateway-controller", _layout!.ControllerDll,
        [
            $"--Controller:DataDirectory={Path.Combine(_data, "controller")}",
            $"--Controller:Urls=http://127.0.0.1:{_options.HttpPort}",
            $"--Controller:Api:Keys:0={ApiKey}",
            $"--Controller:Mqtt:Listen=127.0.0.1:{_options.MqttPort}",
            // Every simulated site connects from 127.0.0.1, and all reconnect at once after a controller restart.
            "--Controller:Mqtt:Limits:ConnectionBurst=10000",
            "--Controller:Mqtt:Limits:MaxConnectionsPerSource=10000",
            "--Controller:Mail:Sink:Enabled=true",
            $"--Controller:Mail:Sink:Listen=127.0.0.1:{_options.SmtpPort}",
            $"--Controller:Mail:Sink:Directory={_mailDirectory}",
            "--Controller:Mail:PollInterval=00:00:01",
            "--Controller:Mail:SettingsUrl=" + PortalUrl, // the mails point at the lab's settings site
            $"--Controller:Probing:Interval={_options.ProbeInterval}",
            $"--Controller:Probing:FastInterval={_options.FastInterval}",
            $"--Controller:Probing:Timeout={_options.ProbeTimeout}",
            $"--Controller:Probing:Canary=sip:0300000000@127.0.0.1:{_options.SipBasePort}",
            $"--Controller:Edge:RpcUrls:0=http://127.0.0.1:{_options.EdgeRpcPort}/RPC",
            $"--Controller:Edge:Realm={EdgeProcess.Realm}",
            // SS-3: the temporary-password IVR on the access number, reached through the edge, which asserts the line
            $"--Controller:Ivr:Listen:0=udp:127.0.0.1:{_options.IvrPort}",
            $"--Controller:Ivr:AccessNumber={LabOptions.AccessNumber}",
            "--Controller:Ivr:TrustedEdges:0=127.0.0.1",
            "--Controller:Ivr:Rtp:BindAddress=127.0.0.1",
            "--Controller:Ivr:Rtp:MinPort=30000",
            "--Controller:Ivr:Rtp:MaxPort=30999",
            .. _options.ControllerArguments,
        ], Path.Combine(_logs, "controller.log"));
        lock (_children)
        {
            _controller = controller;
        }

        Say($"gateway-controller started, pid {controller.Id}");

        _api ??= new ControllerApi(new Uri($"http://127.0.0.1:{_options.HttpPort}"), ApiKey);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await _api.IsHealthyAsync(cancellationToken).ConfigureAwait(false))
        {
            if (controller.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("gateway-controller did not become healthy; its last output:\n" + controller.RecentOutput);
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The settings site's address: http://127.0.0.1:--portal-port/.</summary>
    public string PortalUrl => $"http://127.0.0.1:{_options.PortalPort.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>Starts gateway-portal next to the controller, on the same database, and waits until its /healthz answers.</summary>
    private async Task StartPortalAsync(CancellationToken cancellationToken)
    {
        var portal = ChildProcess.Start("gateway-portal", _layout!.PortalDll,
        [
            $"--Controller:DataDirectory={Path.Combine(_data, "controller")}",
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
            catch (HttpRequestException)
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
        foreach (var argument in new[]
        {
            _layout!.PortalDll, "issue-temporary-password", "--calling", site.ContractNumber, "--unit", "line",
            $"--Controller:DataDirectory={Path.Combine(_data, "controller")}",
        })
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

    /// <summary>SIGKILL of the controller: no shutdown code runs (a crash, a power cut of the cloud node).</summary>
    public async Task KillControllerAsync()
    {
        ChildProcess? controller;
        lock (_children)
        {
            controller = _controller;
            _controller = null;
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
        var database = Path.Combine(_data, "controller", "controller.db");
        if (!File.Exists(database))
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

            var command = LabCommand.Parse(line, _options.Sites, out var error);
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
        IReadOnlyList<ContractRecord> contracts = [];
        try
        {
            contracts = await Api.ListContractsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
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
                views.Add(ToView(site, status, probe, mails) with { Numbers = numbers });
            }
            catch (HttpRequestException ex)
            {
                views.Add(new SiteView(site.Index, site.ContractNumber, "?", "?", "?", "controller unreachable", ex.Message, "?", 0, 0, "?"));
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
        screen.AppendLine();
        screen.AppendLine(SiteView.Header);
        foreach (var view in views)
        {
            screen.AppendLine(view.Row);
            screen.AppendLine(view.NumbersLine);
        }

        screen.AppendLine();
        screen.AppendLine("commands: power N off|on · wan N off|on · restore N · call N [NUMBER] · mails · help · quit");
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
                _out.WriteLine("         " + SiteView.Header);
            }

            _lastState[view.Index] = view.StateKey;
            _out.WriteLine($"{DateTime.UtcNow:HH:mm:ss} " + view.Row);
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
        ChildProcess? controller;
        lock (_children)
        {
            agents = [.. _children];
            controller = _controller;
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

        if (controller is not null)
        {
            await controller.DisposeAsync().ConfigureAwait(false);
        }

        _api?.Dispose();
    }
}
