// Telemetry harness: dying-gasp latency (AgentEventHub.Raise(power.lost) → a subscriber holds the event) and spool
// replay rate, with the agent's real telemetry composition (AddTelemetry), a real broker and a real spool on disk
// (power events fsynced before publishing). Usage:
//   dotnet run -c Release --project bench/telemetry/TelemetryBench -- [--broker HOST:PORT] [--toggles 100] [--replay 20000] [--spool DIR]
// Without --broker the MQTTnet broker runs in this process; the replay part always uses it (it stops and restarts it).
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GatewayAgent.Contracts;
using GatewayAgent.Status;
using GatewayAgent.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

const string Site = "bench";
var options = ParseArgs(args);
var toggles = int.Parse(options.GetValueOrDefault("toggles", "100"), CultureInfo.InvariantCulture);
var replayCount = int.Parse(options.GetValueOrDefault("replay", "20000"), CultureInfo.InvariantCulture);
var spoolRoot = options.GetValueOrDefault("spool", Path.Combine("/var/tmp", "telemetry-bench-" + Environment.ProcessId));
Console.WriteLine($"telemetry bench: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}, spool under {spoolRoot} ({DescribeFs(spoolRoot)})");

// --- 1. Dying gasp latency ---
MqttServer? embedded = null;
string host;
int port;
if (options.TryGetValue("broker", out var broker))
{
    host = broker[..broker.LastIndexOf(':')];
    port = int.Parse(broker[(broker.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    Console.WriteLine($"broker: external {broker}");
}
else
{
    host = "127.0.0.1";
    port = FreePort();
    embedded = await StartEmbeddedAsync(port, null);
    Console.WriteLine($"broker: embedded MQTTnet on {port}");
}

{
    await using var agent = await StartAgentAsync(host, port, Path.Combine(spoolRoot, "latency"));
    await using var subscriber = await Subscriber.ConnectAsync(host, port, Topics.Events(Site));
    await agent.WaitConnectedAsync();

    var idle = await MeasureTogglesAsync(agent.Hub, subscriber, toggles, "idle", background: null);
    Report("power.lost, idle agent", idle);

    // The same while 500 probe.answered events per second also flow through the spool.
    using var load = new CancellationTokenSource();
    var loadTask = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (await timer.WaitForNextTickAsync(load.Token).ConfigureAwait(false))
        {
            for (var i = 0; i < 5; i++)
            {
                agent.Hub.Raise(EventTypes.ProbeAnswered, "load");
            }
        }
    });
    var busy = await MeasureTogglesAsync(agent.Hub, subscriber, toggles, "busy", background: loadTask);
    await load.CancelAsync();
    try { await loadTask; } catch (OperationCanceledException) { }
    Report("power.lost, 500 other events/s", busy);
}

if (embedded is not null)
{
    await embedded.StopAsync(new MqttServerStopOptions());
    embedded.Dispose();
}

// --- 2. Spool replay rate, and power.lost raised in the middle of the backlog ---
{
    var replayPort = FreePort();
    var accepted = 0;
    var allAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    long firstAccept = 0;
    var powerLostAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
    var powerLostPosition = -1;
    var backlogFlowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    Func<MQTTnet.Server.InterceptingPublishEventArgs, Task> count = e =>
    {
        if (e.ApplicationMessage.Topic == Topics.Events(Site))
        {
            var n = Interlocked.Increment(ref accepted);
            if (n == 1)
            {
                Interlocked.Exchange(ref firstAccept, Stopwatch.GetTimestamp());
            }

            if (Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()).Contains("\"power.lost\"", StringComparison.Ordinal))
            {
                powerLostPosition = n;
                powerLostAt.TrySetResult(Stopwatch.GetTimestamp());
            }

            if (n == Math.Min(2000, replayCount / 2))
            {
                backlogFlowing.TrySetResult();
            }

            if (n == replayCount + 1)
            {
                allAccepted.TrySetResult();
            }
        }

        return Task.CompletedTask;
    };

    var server = await StartEmbeddedAsync(replayPort, count);
    var dir = Path.Combine(spoolRoot, "replay");
    await using var agent = await StartAgentAsync("127.0.0.1", replayPort, dir);
    await agent.WaitConnectedAsync();
    await server.StopAsync(new MqttServerStopOptions());
    server.Dispose();
    await agent.Log.WaitForAsync("MQTT connection lost");

    var appendClock = Stopwatch.StartNew();
    for (var i = 0; i < replayCount; i++)
    {
        agent.Hub.Raise(EventTypes.ProbeAnswered, i.ToString(CultureInfo.InvariantCulture));
    }

    appendClock.Stop();
    Console.WriteLine($"spool append: {replayCount} events in {appendClock.Elapsed.TotalMilliseconds:F0} ms = {replayCount / appendClock.Elapsed.TotalSeconds:F0} events/s (batched fsync), " +
        $"{Directory.GetFiles(dir, "*.seg").Sum(f => new FileInfo(f).Length) / 1024} KiB on disk");

    accepted = 0;
    server = await StartEmbeddedAsync(replayPort, count);
    var restart = Stopwatch.GetTimestamp();
    await agent.Log.WaitForAsync("birth published", 2);
    // A power cut while the backlog drains: it must overtake what is still spooled.
    await backlogFlowing.Task.WaitAsync(TimeSpan.FromSeconds(30));
    var raised = Stopwatch.GetTimestamp();
    agent.Hub.Raise(EventTypes.PowerLost, "during replay");
    var powerLostSeen = await powerLostAt.Task.WaitAsync(TimeSpan.FromSeconds(30));
    await allAccepted.Task.WaitAsync(TimeSpan.FromMinutes(5));
    var done = Stopwatch.GetTimestamp();
    var replaySeconds = Stopwatch.GetElapsedTime(Interlocked.Read(ref firstAccept), done).TotalSeconds;
    Console.WriteLine($"replay: {replayCount + 1} spooled events accepted by the broker in {replaySeconds * 1000:F0} ms after the first = {(replayCount + 1) / replaySeconds:F0} events/s " +
        $"(broker restart → last: {Stopwatch.GetElapsedTime(restart, done).TotalMilliseconds:F0} ms)");
    Console.WriteLine($"power.lost raised during the replay: at the broker after {Stopwatch.GetElapsedTime(raised, powerLostSeen).TotalMilliseconds:F1} ms, " +
        $"as publish #{powerLostPosition} of {replayCount + 1}");
    foreach (var line in agent.Log.Lines.Where(l => l.Contains("replayed", StringComparison.Ordinal)))
    {
        Console.WriteLine("agent log: " + line);
    }

    await agent.DisposeAsync();
    await server.StopAsync(new MqttServerStopOptions());
    server.Dispose();
}

try { Directory.Delete(spoolRoot, recursive: true); } catch (IOException) { }
return 0;

static async Task<List<double>> MeasureTogglesAsync(AgentEventHub hub, Subscriber subscriber, int toggles, string tag, Task? background)
{
    var latencies = new List<double>(toggles);
    for (var i = -10; i < toggles; i++) // 10 warm-up toggles
    {
        var detail = $"{tag}-{i}";
        var seen = subscriber.Expect(detail);
        var start = Stopwatch.GetTimestamp();
        hub.Raise(EventTypes.PowerLost, detail);
        var at = await seen.WaitAsync(TimeSpan.FromSeconds(10));
        if (i >= 0)
        {
            latencies.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);
        }

        var restored = subscriber.Expect(detail + "-restored");
        hub.Raise(EventTypes.PowerRestored, detail + "-restored");
        await restored.WaitAsync(TimeSpan.FromSeconds(10));
        if (background is { IsFaulted: true })
        {
            await background;
        }
    }

    return latencies;
}

static void Report(string what, List<double> ms)
{
    ms.Sort();
    double P(double q) => ms[(int)Math.Min(ms.Count - 1, Math.Ceiling(q * ms.Count) - 1)];
    Console.WriteLine($"{what}: n={ms.Count} p50={P(0.50):F2} ms p99={P(0.99):F2} ms max={ms[^1]:F2} ms (Raise → subscriber received; fsync included)");
}

static async Task<MqttServer> StartEmbeddedAsync(int port, Func<MQTTnet.Server.InterceptingPublishEventArgs, Task>? intercept)
{
    var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint()
        .WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
    if (intercept is not null)
    {
        server.InterceptingPublishAsync += intercept;
    }

    await server.StartAsync();
    return server;
}

static async Task<BenchAgent> StartAgentAsync(string host, int port, string spool)
{
    if (Directory.Exists(spool))
    {
        Directory.Delete(spool, recursive: true);
    }

    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Agent:SiteId"] = Site,
        ["Agent:Mqtt:Host"] = host,
        ["Agent:Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Agent:Mqtt:ReconnectMin"] = "00:00:00.050",
        ["Agent:Mqtt:ReconnectMax"] = "00:00:00.200",
        ["Agent:Telemetry:SpoolDirectory"] = spool,
        ["Agent:Telemetry:SpoolMaxBytes"] = (512L * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
    });
    var log = new BenchLog();
    builder.Logging.AddProvider(log);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Logging.AddFilter<BenchLog>("GatewayAgent.Telemetry.MqttTelemetryPublisher", l => l >= LogLevel.Warning || l == LogLevel.Information);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddTelemetry();
    var app = builder.Build();
    await app.StartAsync();
    return new BenchAgent(app, log);
}

static int FreePort()
{
    using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    l.Start();
    return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
}

static string DescribeFs(string path)
{
    var probe = path;
    while (!Directory.Exists(probe) && Path.GetDirectoryName(probe) is { } parent)
    {
        probe = parent;
    }

    var mounts = File.ReadAllLines("/proc/mounts").Select(l => l.Split(' ')).Where(p => probe.StartsWith(p[1], StringComparison.Ordinal)).OrderByDescending(p => p[1].Length).FirstOrDefault();
    return mounts is null ? "?" : $"{mounts[2]} on {mounts[0]}";
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i].TrimStart('-')] = args[i + 1];
    }

    return result;
}

sealed class BenchAgent(IHost host, BenchLog log) : IAsyncDisposable
{
    public AgentEventHub Hub => host.Services.GetRequiredService<AgentEventHub>();
    public BenchLog Log => log;

    public Task WaitConnectedAsync() => log.WaitForAsync("birth published");

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await host.StopAsync();
        host.Dispose();
    }
}

sealed class BenchLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IEnumerable<string> Lines => _lines;

    public async Task WaitForAsync(string text, int count = 1)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_lines.Count(l => l.Contains(text, StringComparison.Ordinal)) < count)
        {
            await _arrived.WaitAsync(deadline.Token);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(BenchLog sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (eventId.Id == 2305)
            {
                return; // per-event lines: not needed here
            }

            sink._lines.Enqueue(text);
            sink._arrived.Release();
        }
    }
}

sealed class Subscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _expected = new();

    private Subscriber(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var at = Stopwatch.GetTimestamp();
            using var doc = JsonDocument.Parse(e.ApplicationMessage.Payload.ToArray());
            if (doc.RootElement.TryGetProperty("detail", out var detail) && detail.GetString() is { } d && _expected.TryRemove(d, out var tcs))
            {
                tcs.TrySetResult(at);
            }

            return Task.CompletedTask;
        };
    }

    public static async Task<Subscriber> ConnectAsync(string host, int port, string topic)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("bench-sub").Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return new Subscriber(client);
    }

    public Task<long> Expect(string detail) => _expected.GetOrAdd(detail, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}
