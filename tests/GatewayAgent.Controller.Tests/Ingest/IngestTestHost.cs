using System.Diagnostics.Metrics;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Probing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// A real host running AddTelemetryIngest (embedded broker on a free loopback port, or a client of a broker the test
/// started) with in-memory store doubles and a fake clock. Waits are driven by the ingest meter: every ingested
/// message wakes <see cref="WaitUntilAsync(Func{bool}, string, TimeSpan?)"/>, which then re-checks its condition.
/// </summary>
public sealed class IngestTestHost : IAsyncDisposable
{
    public const string ControllerUser = "controller";
    public const string ControllerPassword = "controller-secret";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly IHost _host;
    private readonly MeterListener _listener = new();
    private readonly Changes _measured = new();

    private IngestTestHost(IHost host, int port, InMemorySiteDirectory directory, InMemorySiteEventLog eventLog, RecordingFastProbing fastProbing, WaiterAwareClock clock, LogCapture logs)
    {
        _host = host;
        Port = port;
        Directory = directory;
        EventLog = eventLog;
        FastProbing = fastProbing;
        Clock = clock;
        Logs = logs;
        var meterFactory = host.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            lock (Counts)
            {
                var kind = tags.Length > 0 ? $"{instrument.Name}:{tags[0].Value}" : instrument.Name;
                Counts[kind] = Counts.GetValueOrDefault(kind) + value;
            }

            _measured.Notify();
        });
        _listener.Start();
    }

    /// <summary>The MQTT port sites connect to (the embedded broker's, or the external broker's).</summary>
    public int Port { get; }

    public InMemorySiteDirectory Directory { get; }

    public InMemorySiteEventLog EventLog { get; }

    public RecordingFastProbing FastProbing { get; }

    public WaiterAwareClock Clock { get; }

    public LogCapture Logs { get; }

    /// <summary>Ingest counters by "instrument" or "instrument:first tag value", summed over the host's life.</summary>
    public Dictionary<string, long> Counts { get; } = [];

    public IServiceProvider Services => _host.Services;

    /// <summary>What this host's ingest knows of each site (no store here: also what its API would show).</summary>
    public SiteLiveStatusRegistry Status => _host.Services.GetRequiredService<SiteLiveStatusRegistry>();

    public static Task<IngestTestHost> StartEmbeddedAsync(Action<InMemorySiteDirectory> sites, IDictionary<string, string?>? settings = null)
    {
        var port = FreePort.Next();
        var config = new Dictionary<string, string?>
        {
            ["Controller:Mqtt:Mode"] = "Embedded",
            ["Controller:Mqtt:Listen"] = $"127.0.0.1:{port}",
            ["Controller:Mqtt:ControllerUsername"] = ControllerUser,
            ["Controller:Mqtt:ControllerPassword"] = ControllerPassword,
        };
        return StartAsync(port, config, settings, sites);
    }

    /// <summary>Starts a controller in external mode and waits until it has subscribed at the broker.</summary>
    public static async Task<IngestTestHost> StartExternalAsync(
        int brokerPort, Action<InMemorySiteDirectory> sites, IDictionary<string, string?>? settings = null, InMemorySiteEventLog? eventLog = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Controller:Mqtt:Mode"] = "External",
            ["Controller:Mqtt:Host"] = "127.0.0.1",
            ["Controller:Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Controller:Mqtt:Username"] = ControllerUser,
            ["Controller:Mqtt:Password"] = ControllerPassword,
        };
        var host = await StartAsync(brokerPort, config, settings, sites, eventLog);
        await host.WaitUntilAsync(() => host.Count("gateway.ingest.broker_sessions") >= 1, "the controller subscribed at the broker");
        return host;
    }

    private static async Task<IngestTestHost> StartAsync(
        int port, Dictionary<string, string?> config, IDictionary<string, string?>? settings, Action<InMemorySiteDirectory> sites, InMemorySiteEventLog? sharedEventLog = null)
    {
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        var directory = new InMemorySiteDirectory();
        sites(directory);
        var eventLog = sharedEventLog ?? new InMemorySiteEventLog(); // one log for several nodes: their shared database
        var fastProbing = new RecordingFastProbing();
        var clock = new WaiterAwareClock(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var logs = new LogCapture();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.AddProvider(logs.CreateProvider()).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<ISiteDirectory>(directory);
        builder.Services.AddSingleton<ISiteEventLog>(eventLog);
        builder.Services.AddSingleton<IFastProbing>(fastProbing);
        builder.Services.AddTelemetryIngest();
        var host = builder.Build();

        var testHost = new IngestTestHost(host, port, directory, eventLog, fastProbing, clock, logs);
        await host.StartAsync();
        return testHost;
    }

    public long Count(string key)
    {
        lock (Counts)
        {
            return Counts.GetValueOrDefault(key);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every ingest measurement.</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => WaitUntilAsync([this], condition, what, timeout);

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every measurement of any of the hosts.</summary>
    public static Task WaitUntilAsync(IReadOnlyList<IngestTestHost> hosts, Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Wait.UntilAsync(condition, [.. hosts.Select(h => h._measured)], what, timeout ?? Timeout);

    /// <summary>
    /// Until <paramref name="condition"/> holds: each time the host starts waiting on the clock (a timer is created),
    /// advances the clock by <paramref name="step"/>. Re-checks after every ingest measurement and every new timer.
    /// </summary>
    public async Task AdvanceClockUntilAsync(Func<bool> condition, TimeSpan step, string what)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var advancedFor = 0;
        while (true)
        {
            // Take the pulses before checking, so a measurement or timer between the check and the wait is not missed.
            var measured = _measured.Next;
            var timer = Clock.NextTimerCreated;
            if (condition())
            {
                return;
            }

            var created = Clock.TimersCreated;
            if (created > advancedFor)
            {
                advancedFor = created;
                Clock.Advance(step);
                continue;
            }

            try
            {
                await Task.WhenAny(measured, timer).WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out waiting until {what}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }
}
