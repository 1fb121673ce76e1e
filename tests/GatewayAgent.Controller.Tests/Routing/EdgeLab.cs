using System.Diagnostics;
using System.Net.Http.Json;
using GatewayAgent.Controller.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>
/// The call path of docs/routing.md on loopback: the real controller host (real clock, SQLite in a temp directory)
/// pushing to the real edge (kamailio with the repository's edge/kamailio/kamailio.cfg reading the same database), a
/// site phone and a destination phone (the next hop) behind it, and a caller phone.
/// </summary>
public sealed class EdgeLab : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    public const string ContractNumber = "0312340001";
    public const string PlainNumber = "0312340002";
    public const string MonitoringNumber = "0312340003";
    public const string DestinationNumber = "09012345678";
    public const string SiteId = "site-a";
    public const string SitePassword = "site-a-secret-1";

    private EdgeLab(EdgeControllerFactory controller, KamailioProcess edge, SipPhone site, SipPhone destination, SipPhone caller)
    {
        Controller = controller;
        Edge = edge;
        Site = site;
        Destination = destination;
        Caller = caller;
        Api = controller.CreateOperatorClient();
    }

    public EdgeControllerFactory? Controller { get; private set; }

    public KamailioProcess Edge { get; private set; }

    public SipPhone Site { get; }

    public SipPhone Destination { get; }

    public SipPhone Caller { get; }

    public HttpClient Api { get; }

    /// <summary>From the API's answer to the edge holding the new contract, for the last <see cref="CreateContractAsync"/>.</summary>
    public TimeSpan LastPushTime { get; private set; }

    /// <summary>Further edge nodes on the same database, each pushed to by the controller.</summary>
    public List<KamailioProcess> MoreNodes { get; } = [];

    /// <summary>The first node's JSON-RPC, as the controller calls it.</summary>
    public EdgeRpcClient Rpc => new(_http, new Uri(Edge.RpcUrl), TimeSpan.FromSeconds(5));

    /// <summary>
    /// Starts the lab; with <paramref name="postgres"/> (an Npgsql connection string) the controller stores in PostgreSQL
    /// and the edge reads the views there.
    /// </summary>
    public static async Task<EdgeLab> StartAsync(IReadOnlyDictionary<string, string>? defines = null, string? postgres = null, int moreNodes = 0)
    {
        Assert.True(KamailioProcess.IsInstalled, "kamailio (Debian kamailio, kamailio-sqlite-modules) is required");
        var site = new SipPhone("site");
        var destination = new SipPhone("destination");
        var caller = new SipPhone("caller");
        var rpcPort = FreePort.Next();
        var moreRpcPorts = Enumerable.Range(0, moreNodes).Select(_ => FreePort.Next()).ToList();
        var controller = new EdgeControllerFactory($"http://127.0.0.1:{rpcPort}/RPC", postgres, [.. moreRpcPorts.Select(p => $"http://127.0.0.1:{p}/RPC")]);
        _ = controller.Server; // start the host: migrations create the database and its edge views
        var all = new Dictionary<string, string>(defines ?? new Dictionary<string, string>())
        {
            ["DESTINATION_HOP"] = $"\"sip:127.0.0.1:{destination.Port}\"",
        };
        var edge = await KamailioProcess.StartEdgeAsync(controller.EdgeDatabase, all, rpcPort: rpcPort);
        var lab = new EdgeLab(controller, edge, site, destination, caller);
        foreach (var port in moreRpcPorts)
        {
            lab.MoreNodes.Add(await KamailioProcess.StartEdgeAsync(controller.EdgeDatabase, all, rpcPort: port));
        }

        await lab.WaitInSyncAsync(1 + moreNodes);
        return lab;
    }

    /// <summary>
    /// Waits until the controller's pusher (or <paramref name="controller"/>'s, another node's) reports the edge in sync
    /// (its first reload done).
    /// </summary>
    public async Task WaitInSyncAsync(int nodes = 1, EdgeControllerFactory? controller = null)
    {
        var metrics = (controller ?? Controller!).Services.GetRequiredService<EdgeMetrics>();
        await WithLogsAsync(() => Wait.PollAsync(() => Task.FromResult(metrics.InSync), n => n >= nodes, TimeSpan.FromSeconds(20),
            $"{nodes} edge node(s) in sync", TimeSpan.FromMilliseconds(50)));
    }

    /// <summary>A contract with three numbers (contract, plain, monitoring), a destination on the contract number.</summary>
    public async Task<ContractRecord> CreateContractAsync(int channels = 2, string? probeTarget = null, IReadOnlyList<DestinationEntry>? destinations = null)
    {
        var response = await Api.PostAsJsonAsync("/api/contracts", new ContractDefinition
        {
            ContractNumber = ContractNumber,
            AdditionalNumbers = [PlainNumber, MonitoringNumber],
            MonitoringNumber = MonitoringNumber,
            Channels = channels,
            ProbeTarget = probeTarget ?? $"sip:{MonitoringNumber}@127.0.0.1:{Site.Port}",
            SiteId = SiteId,
            SitePassword = SitePassword,
            Destinations = destinations ?? [new DestinationEntry(ContractNumber, DestinationNumber)],
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var watch = Stopwatch.StartNew();
        var contract = (await response.Content.ReadFromJsonAsync<ContractRecord>())!;
        await WaitForEdgeAsync(EdgeTable.Numbers, ContractNumber, v => v is not null);
        LastPushTime = watch.Elapsed;
        // The number and its contract may reach the edge in separate pushes: a call between them would get 404.
        await WaitForEdgeAsync(EdgeTable.Contracts, contract.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), v => v is not null);
        return contract;
    }

    /// <summary>Turns the switch through the API and returns once the edge routes by it, and how long that took after the API answered.</summary>
    public async Task<TimeSpan> SwitchAsync(long contractId, bool on)
    {
        var response = await Api.PostAsJsonAsync($"/api/contracts/{contractId}/forwarding/{(on ? "start" : "stop")}", new { });
        // from the commit (the API's answer) to the edge routing by it
        var watch = Stopwatch.StartNew();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await WaitForEdgeAsync(EdgeTable.Contracts, contractId.ToString(System.Globalization.CultureInfo.InvariantCulture), v => v?.StartsWith(on ? "1|" : "0|", StringComparison.Ordinal) == true);
        return watch.Elapsed;
    }

    /// <summary>Polls the edge's table over its JSON-RPC until the key's value satisfies <paramref name="done"/>.</summary>
    public Task<string?> WaitForEdgeAsync(EdgeTable table, string key, Func<string?, bool> done, TimeSpan? timeout = null, KamailioProcess? node = null)
    {
        var rpc = node is null ? Rpc : new EdgeRpcClient(_http, new Uri(node.RpcUrl), TimeSpan.FromSeconds(5));
        async Task<string?> ReadAsync()
        {
            try
            {
                return await rpc.GetAsync(table, key, CancellationToken.None);
            }
            catch (EdgeRpcException ex)
            {
                // a node just (re)started writes its pid file before its listeners answer
                return "(edge not answering: " + ex.Message + ")";
            }
        }

        // polled every 10 ms: the tests time changes that take effect in milliseconds
        return WithLogsAsync(() => Wait.PollAsync(ReadAsync, done, timeout ?? TimeSpan.FromSeconds(10), $"edge {table.Name}[{key}]", TimeSpan.FromMilliseconds(10)));
    }

    /// <summary>A wait that times out says what the controller logged, and what the edge printed.</summary>
    private async Task<T> WithLogsAsync<T>(Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException ex)
        {
            var logs = Controller is null ? "" : string.Join("\n", Controller.Logs.Lines);
            throw new TimeoutException($"{ex.Message}\n{logs}\n{Edge.Output}", ex);
        }
    }

    /// <summary>Sets the contract's call screening (BF-10) through the API and waits until the edge has it.</summary>
    public async Task SetScreeningAsync(long contractId, bool rejectAnonymous, IReadOnlyList<string> nuisance)
    {
        var response = await Api.PutAsJsonAsync($"/api/contracts/{contractId}/screening", new ScreeningSettings { RejectAnonymous = rejectAnonymous, NuisanceCallers = nuisance });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var key = contractId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WaitForEdgeAsync(EdgeTable.Contracts, key, v => v?.Split('|')[2] == (rejectAnonymous ? "1" : "0"));
        foreach (var caller in nuisance)
        {
            await WaitForEdgeAsync(EdgeTable.Nuisance, $"{key}:{caller}", v => v is not null);
        }
    }

    /// <summary>Stops the controller for good (the edge keeps its tables).</summary>
    public async Task StopControllerAsync()
    {
        if (Controller is { } controller)
        {
            Controller = null;
            await controller.DisposeAsync();
        }
    }

    /// <summary>Kills the edge and starts it again on the same ports and database.</summary>
    public async Task RestartEdgeAsync(Func<Task>? whileDown = null)
    {
        var (port, rpc, database) = (Edge.Port, Edge.RpcPort, Controller!.EdgeDatabase);
        await Edge.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        Edge = await KamailioProcess.StartEdgeAsync(database, new Dictionary<string, string> { ["DESTINATION_HOP"] = $"\"sip:127.0.0.1:{Destination.Port}\"" }, port, rpc);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        _http.Dispose();
        await StopControllerAsync();
        await Edge.DisposeAsync();
        foreach (var node in MoreNodes)
        {
            await node.DisposeAsync();
        }

        await Site.DisposeAsync();
        await Destination.DisposeAsync();
        await Caller.DisposeAsync();
    }
}

/// <summary>The controller host for <see cref="EdgeLab"/>: real clock, the edge's JSON-RPC URL, a quick edge check.</summary>
public sealed class EdgeControllerFactory(string rpcUrl, string? postgres = null, IReadOnlyList<string>? moreRpcUrls = null) : WebApplicationFactory<Program>
{
    public const string ApiKey = "edge-test-operator-key-0123";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("controller-edge-").FullName;

    public string DatabasePath => Path.Combine(DataDirectory, "controller.db");

    /// <summary>What the edge's DBURL names: the SQLite file, or the PostgreSQL database as postgres://user@host:port/db.</summary>
    public string EdgeDatabase => postgres is null ? DatabasePath : ToUrl(new Npgsql.NpgsqlConnectionStringBuilder(postgres));

    private static string ToUrl(Npgsql.NpgsqlConnectionStringBuilder b) => $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";

    public LogCapture Logs { get; } = new();

    public HttpClient CreateOperatorClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        client.DefaultRequestHeaders.Add("X-Operator", "tester");
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Controller:DataDirectory", DataDirectory);
        builder.UseSetting("Controller:Mqtt:Listen", $"127.0.0.1:{FreePort.Next()}");
        builder.UseSetting("Controller:Api:Keys:0", ApiKey);
        builder.UseSetting("Controller:Edge:RpcUrls:0", rpcUrl);
        for (var i = 0; i < (moreRpcUrls?.Count ?? 0); i++)
        {
            builder.UseSetting($"Controller:Edge:RpcUrls:{i + 1}", moreRpcUrls![i]);
        }

        if (postgres is not null)
        {
            builder.UseSetting("Controller:Storage:Provider", "postgres");
            builder.UseSetting("ConnectionStrings:Controller", postgres);
        }

        builder.UseSetting("Controller:Edge:CheckInterval", "00:00:00.200");
        builder.UseSetting("Controller:Edge:Timeout", "00:00:01");
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs.CreateProvider()));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
