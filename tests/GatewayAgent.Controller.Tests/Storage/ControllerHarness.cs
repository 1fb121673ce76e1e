using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>
/// The controller's storage, detector and switch composed as the host composes them (same extension methods), on a
/// real SQLite file or a real PostgreSQL database, with a fake clock. <see cref="RestartAsync"/> builds a fresh
/// container on the same database, as a process restart would.
/// </summary>
public sealed class ControllerHarness : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string? _directory;
    private readonly Action<IServiceCollection>? _configure;
    private ServiceProvider _provider;

    private ControllerHarness(Dictionary<string, string?> settings, string? directory, Action<IServiceCollection>? configure, FakeTimeProvider? time)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        _settings = settings;
        _directory = directory;
        _configure = configure;
        _provider = Build();
    }

    /// <summary>The clock of this harness; harnesses sharing one database may share it too (see <see cref="CreateAsync"/>).</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The settings that locate this harness's database, for a second harness on the same database (another controller).</summary>
    public IReadOnlyDictionary<string, string?> DatabaseSettings =>
        _settings.Where(s => s.Key is "Controller:Storage:Provider" or "ConnectionStrings:Controller" or "Controller:DataDirectory")
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase);

    public RecordingMailComposer Composer { get; } = new();

    public RecordingStatePublisher Publisher { get; } = new();

    public IServiceProvider Services => _provider;

    public ContractStore Contracts => _provider.GetRequiredService<ContractStore>();

    public ProbeOutcomeRecorder Recorder => _provider.GetRequiredService<ProbeOutcomeRecorder>();

    public ForwardingSwitch Switch => _provider.GetRequiredService<ForwardingSwitch>();

    public OutboxStore Outbox => _provider.GetRequiredService<OutboxStore>();

    public ControllerDatabase Database => _provider.GetRequiredService<ControllerDatabase>();

    public static async Task<ControllerHarness> CreateAsync(
        string backend,
        PostgresCluster cluster,
        IEnumerable<KeyValuePair<string, string?>>? extra = null,
        bool migrate = true,
        Action<IServiceCollection>? configure = null,
        FakeTimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        string? directory = null;
        if (backend == Backends.Postgres)
        {
            settings["Controller:Storage:Provider"] = "postgres";
            settings["ConnectionStrings:Controller"] = await cluster.CreateDatabaseAsync();
        }
        else
        {
            directory = Directory.CreateTempSubdirectory("controller-test-").FullName;
            settings["Controller:DataDirectory"] = directory;
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var harness = new ControllerHarness(settings, directory, configure, time);
        if (migrate)
        {
            await harness.MigrateAsync();
        }

        return harness;
    }

    public async Task<int> MigrateAsync() =>
        await _provider.GetRequiredService<SchemaMigrator>().MigrateAsync(SchemaMigrations.All, CancellationToken.None);

    /// <summary>Drops every in-memory object and builds them again on the same database (a controller restart).</summary>
    public async Task RestartAsync()
    {
        await _provider.DisposeAsync();
        _provider = Build();
        await MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private ServiceProvider Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IMailComposer>(Composer);
        services.AddSingleton<IContractStatePublisher>(Publisher);
        services.AddControllerMetrics().AddControllerStorage().AddContracts().AddForwarding().AddDetection();
        _configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
