using System.Globalization;
using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Cluster;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// The PostgreSQL cost of the detector's writes, as a cluster node writes them (fence included): WAL bytes and WAL
// records per probe outcome in steady state (reached, counters at zero, history full) and per state change.
// Usage: dotnet run -c Release --project bench/cluster/DbCostBench -- CONNECTION_STRING [CONTRACTS] [ROUNDS]
// (bench/cluster/db-cost.sh starts a private PostgreSQL and runs this).
var connectionString = args[0];
var contractCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
const int History = 10;

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Controller:Storage:Provider"] = "postgres",
    ["ConnectionStrings:Controller"] = connectionString,
    ["Controller:Cluster:NodeId"] = "bench-node",
    ["Controller:Detection:ProbeHistory"] = History.ToString(CultureInfo.InvariantCulture),
}).Build();
var services = new ServiceCollection();
services.AddSingleton<IConfiguration>(configuration);
services.AddLogging();
services.AddSingleton<IContractStatePublisher, NoPublisher>();
services.AddControllerMetrics().AddControllerStorage().AddContracts().AddForwarding().AddDetection().AddNotification().AddCluster();
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<SchemaMigrator>().MigrateAsync(SchemaMigrations.All, CancellationToken.None);
var membership = provider.GetRequiredService<ClusterMembership>();
await membership.StartAsync(CancellationToken.None); // joins, beats, and keeps its leases renewed every Heartbeat
var store = provider.GetRequiredService<ContractStore>();
var recorder = provider.GetRequiredService<ProbeOutcomeRecorder>();

var ids = new List<long>();
for (var i = 0; i < contractCount; i++)
{
    var prefix = (30000 + i).ToString(CultureInfo.InvariantCulture); // numbers 03xxxxxxxx
    var contract = await store.CreateAsync(new ContractDefinition
    {
        ContractNumber = $"0{prefix}1234",
        AdditionalNumbers = [$"0{prefix}1230"],
        Channels = 2,
        MonitoringNumber = $"0{prefix}1230",
        ProbeTarget = "sip:192.0.2.10:5060",
        SiteId = $"site-{prefix}",
        SitePassword = "site-password-1",
        Destinations = [new DestinationEntry($"0{prefix}1234", "0667891234")],
        Notification = new NotificationSettings
        {
            HolderName = "株式会社テスト",
            SiteInformation = "本社ビル3F",
            Recipients = [new RecipientEntry("ops@example.jp", true), new RecipientEntry("boss@example.jp", true)],
            AutoStart = true,
            AutoStop = true,
            ServiceOn = true,
        },
    }, CancellationToken.None);
    ids.Add(contract.Id);
}

await using var admin = NpgsqlDataSource.Create(connectionString);
await using (var ext = admin.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_walinspect"))
{
    await ext.ExecuteNonQueryAsync();
}

// Fill every contract's history (ProbeHistory) so each outcome also prunes one row, as in steady state.
for (var r = 0; r < History + 1; r++)
{
    await RoundAsync(ids, ProbeOutcome.Reached);
}

var steady = await MeasureAsync(rounds, () => RoundAsync(ids, ProbeOutcome.Reached));
Report("reached, counters at zero (steady state)", steady, rounds * ids.Count);

var half = ids.Take(ids.Count / 2).ToList();
await RoundAsync(half, ProbeOutcome.Missed);
await RoundAsync(half, ProbeOutcome.Missed);
var counting = await MeasureAsync(1, () => RoundAsync(half, ProbeOutcome.Missed));
Report("missed, counter moves (3rd miss)", counting, half.Count);
var failure = await MeasureAsync(1, () => RoundAsync(half, ProbeOutcome.Missed));
Report("missed, failure declared (4th miss: event, 2 mails, switch on)", failure, half.Count);
Console.WriteLine($"outcomes refused by the fence: {provider.GetRequiredService<ClusterMetrics>().FencedTotal} (must be 0)");

// The sites' live status (site_live_status), written as SiteLiveStatusWriter writes it: 500 sites per transaction,
// one row per site however many messages it merged. A telemetry snapshot sets online, power, battery, wan, last seen.
var live = provider.GetRequiredService<ISiteLiveStatusStore>();
var sites = ids.Select((_, i) => $"site-{30000 + i}").ToList();
var liveAt = DateTimeOffset.UtcNow;
var firstLive = await MeasureAsync(1, () => LiveRoundAsync(liveAt));
Report("live status, first write of each site (insert)", firstLive, sites.Count, "row");
var liveUpdates = await MeasureAsync(rounds, () => LiveRoundAsync(liveAt = liveAt.AddMinutes(1)));
Report("live status, a telemetry snapshot per site (update)", liveUpdates, rounds * sites.Count, "row");
await using (var hot = admin.CreateCommand("SELECT pg_stat_force_next_flush(); SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'site_live_status'"))
await using (var reader = await hot.ExecuteReaderAsync())
{
    await reader.NextResultAsync();
    await reader.ReadAsync();
    Console.WriteLine($"site_live_status updates: {reader.GetInt64(0)}, of which HOT: {reader.GetInt64(1)}");
}

await membership.StopAsync(CancellationToken.None);
return;

async Task RoundAsync(IReadOnlyList<long> contracts, ProbeOutcome outcome)
{
    // As the scheduler does: many probes' outcomes arrive at once and share the group commit.
    var now = DateTimeOffset.UtcNow;
    await Task.WhenAll(contracts.Select(id => recorder.RecordAsync(
        new ProbeRecord(id, outcome, outcome == ProbeOutcome.Reached ? 180 : null, outcome == ProbeOutcome.Reached ? "180 Ringing" : "timeout", now, outcome == ProbeOutcome.Reached ? TimeSpan.FromMilliseconds(12) : null),
        CancellationToken.None)));
}

async Task LiveRoundAsync(DateTimeOffset at)
{
    foreach (var chunk in sites.Chunk(500))
    {
        await live.SaveAsync(
            chunk.Select(site => new SiteLiveRecord(site)
            {
                Online = true, OnlineAt = at, Power = "mains", PowerAt = at, BatteryPercent = 97, BatteryAt = at, Wan = "up", WanAt = at, LastSeen = at,
            }).ToList(),
            CancellationToken.None);
    }
}

async Task<WalFigures> MeasureAsync(int times, Func<Task> work)
{
    var start = await LsnAsync();
    for (var i = 0; i < times; i++)
    {
        await work();
    }

    var end = await LsnAsync();
    await using var stats = admin.CreateCommand("""
        SELECT "resource_manager/record_type", count, combined_size FROM pg_get_wal_stats(@s::pg_lsn, @e::pg_lsn) WHERE count > 0 ORDER BY combined_size DESC
        """);
    stats.Parameters.AddWithValue("s", start);
    stats.Parameters.AddWithValue("e", end);
    var byManager = new List<(string Manager, long Count, long Bytes)>();
    await using (var reader = await stats.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            byManager.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
    }

    return new WalFigures(byManager.Sum(m => m.Bytes), byManager.Sum(m => m.Count), byManager);
}

async Task<string> LsnAsync()
{
    await using var command = admin.CreateCommand("SELECT pg_current_wal_lsn()::text");
    return (string)(await command.ExecuteScalarAsync())!;
}

void Report(string what, WalFigures figures, int outcomes, string unit = "outcome")
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what}: {outcomes} {unit}s, WAL {figures.Bytes / (double)outcomes:0} bytes and {figures.Records / (double)outcomes:0.0} records per {unit}"));
    foreach (var (manager, count, bytes) in figures.ByManager)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {manager,-12} {count / (double)outcomes,6:0.00} records  {bytes / (double)outcomes,7:0} bytes per {unit}"));
    }
}

internal sealed record WalFigures(long Bytes, long Records, IReadOnlyList<(string Manager, long Count, long Bytes)> ByManager);

internal sealed class NoPublisher : IContractStatePublisher
{
    public Task PublishAsync(GatewayAgent.Contracts.ContractState state, CancellationToken cancellationToken) => Task.CompletedTask;
}
