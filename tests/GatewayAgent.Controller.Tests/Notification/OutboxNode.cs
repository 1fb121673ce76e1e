using System.Globalization;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Notification;

/// <summary>
/// One controller's storage and mail dispatch composed as the host composes them (AddControllerStorage,
/// AddNotification), under its own node id, on a real SQLite file or PostgreSQL database that other nodes may share,
/// sending to a real SMTP server on loopback. The clock is a <see cref="FakeTimeProvider"/> the nodes share.
/// </summary>
internal sealed class OutboxNode : IAsyncDisposable
{
    private readonly ControllerHarness _harness;
    private readonly LogHolder _logs;

    private OutboxNode(ControllerHarness harness, string id, LogHolder logs)
    {
        _harness = harness;
        _logs = logs;
        Id = id;
    }

    public string Id { get; }

    /// <summary>The log lines of the current process (a new capture after <see cref="RestartAsync"/>).</summary>
    public LogCapture Logs => _logs.Current;

    public FakeTimeProvider Time => _harness.Time;

    public OutboxStore Store => _harness.Outbox;

    public ControllerDatabase Database => _harness.Database;

    /// <summary>This process's dispatcher (a new instance after <see cref="RestartAsync"/>).</summary>
    public OutboxDispatcher Dispatcher => _harness.Services.GetRequiredService<OutboxDispatcher>();

    public MailOptions Mail => _harness.Services.GetRequiredService<IOptions<MailOptions>>().Value;

    public IServiceProvider Services => _harness.Services;

    public GatewayAgent.Controller.Customers.ContractStore Contracts => _harness.Contracts;

    /// <summary>The first node: creates (and migrates) a fresh database of <paramref name="backend"/>.</summary>
    public static async Task<OutboxNode> CreateAsync(
        string backend, PostgresCluster cluster, string id, int relayPort, IDictionary<string, string?>? mail = null, FakeTimeProvider? time = null)
    {
        var logs = new LogHolder();
        var harness = await ControllerHarness.CreateAsync(
            backend, cluster, Settings(relayPort, mail), configure: services => Compose(services, id, logs), time: time);
        return new OutboxNode(harness, id, logs);
    }

    /// <summary>Another controller on the same database and clock as <paramref name="first"/>, with its own node id.</summary>
    public static async Task<OutboxNode> JoinAsync(OutboxNode first, PostgresCluster cluster, string id, int relayPort, IDictionary<string, string?>? mail = null)
    {
        var logs = new LogHolder();
        var settings = Settings(relayPort, mail).Concat(first._harness.DatabaseSettings);
        var harness = await ControllerHarness.CreateAsync(
            Backends.Sqlite, cluster, settings, configure: services => Compose(services, id, logs), time: first.Time);
        return new OutboxNode(harness, id, logs);
    }

    /// <summary>A new process of this node: every in-memory object (the dispatcher included) built again, same database and id.</summary>
    public async Task RestartAsync()
    {
        _logs.Current = new LogCapture();
        await _harness.RestartAsync();
    }

    public Task<long> EnqueueAsync(string recipient) =>
        Store.EnqueueAsync(null, MailKind.Test, recipient, new ComposedMail(MailComposer.TestSubject, $"{recipient} 宛ての本文\n"), Time.GetUtcNow(), CancellationToken.None);

    /// <summary>Passes until a pass finds nothing to claim; returns how many mails this node claimed in all.</summary>
    public async Task<int> DrainAsync()
    {
        var claimed = 0;
        for (int n; (n = await Dispatcher.DispatchDueAsync(CancellationToken.None)) > 0;)
        {
            claimed += n;
        }

        return claimed;
    }

    /// <summary>The lease columns of one row as stored.</summary>
    public Task<(string? ClaimedBy, DateTimeOffset? LeaseUntil, DateTimeOffset? AlertedAt, string Status, long Attempts)> RowAsync(long id) =>
        Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(
                    null, "SELECT claimed_by, lease_until, alerted_at, status, attempts FROM outbox WHERE id = @id");
                command.AddParameter("@id", id);
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                return (reader.NullableString(0), reader.NullableTime(1), reader.NullableTime(2), reader.GetString(3), reader.Long(4));
            },
            CancellationToken.None);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static Dictionary<string, string?> Settings(int relayPort, IDictionary<string, string?>? mail)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Controller:Mail:Smtp:Host"] = "127.0.0.1",
            ["Controller:Mail:Smtp:Port"] = relayPort.ToString(CultureInfo.InvariantCulture),
            ["Controller:Mail:Smtp:Security"] = "none",
            ["Controller:Mail:Smtp:From"] = "notify@controller.example.jp",
            ["Controller:Mail:Smtp:Timeout"] = "00:00:30",
            ["Controller:Mail:MessageIdDomain"] = "controller.example.jp",
        };
        foreach (var (key, value) in mail ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private static void Compose(IServiceCollection services, string id, LogHolder logs)
    {
        services.AddNotification();
        services.AddSingleton(new ControllerNode(Options.Create(new ControllerMqttOptions { ClientId = id })));
        services.AddSingleton<ILoggerProvider>(_ => logs.Current.CreateProvider());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug)); // 6415: the heartbeat's renewals
    }

    /// <summary>The capture of the node's current process; each container built after a restart takes the new one.</summary>
    private sealed class LogHolder
    {
        public LogCapture Current { get; set; } = new();
    }
}
