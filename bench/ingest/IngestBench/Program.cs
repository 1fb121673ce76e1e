using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GatewayAgent.Controller.Ingest;
using IngestBench;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;

// Usage:
//   IngestBench embedded [--agents 50] [--messages 200000] [--qos 0|1] [--window 64] [--event-every 0] [--workers 2]
//       starts the controller's ingest (embedded broker) in this process and the load generator against it;
//       reports messages/s absorbed by the ingest (counted by its meter after each message is applied).
//   IngestBench external --port P [...]       the controller's ingest as a client of the broker on 127.0.0.1:P
//       (user/password "controller"/"bench", shared subscription), the generator publishing to that broker.
//   IngestBench serve [--port P] [--external] --messages TOTAL   the controller's ingest alone (embedded broker on
//       127.0.0.1:P, or --external: a client of the broker on P); prints "port P" when ready, then, once TOTAL
//       messages are ingested, the rate from the first to the last one and the CPU time this process used for them.
//   IngestBench generate --port P [...]       the generator alone (for mosquitto_sub as the consumer); prints
//       "start <unix seconds>" when it begins publishing.
var mode = args.Length > 0 ? args[0] : "embedded";
int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

var agents = Arg("agents", 50);
var messages = (long)Arg("messages", 200_000);
var qos = Arg("qos", 0) == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce;
var window = Arg("window", 64);
var eventEvery = Arg("event-every", 0);
var workers = Arg("workers", 2);
var port = Arg("port", 0);

if (mode == "generate")
{
    var generator = new LoadGenerator("127.0.0.1", port, agents, messages, qos, window, eventEvery, password: Environment.GetEnvironmentVariable("BENCH_SITE_PASSWORD"));
    await generator.ConnectAsync();
    Console.WriteLine(FormattableString.Invariant($"start {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F3}"));
    var published = await generator.RunAsync();
    Console.WriteLine(FormattableString.Invariant($"published {generator.Total} in {published.TotalSeconds:F3} s = {generator.Total / published.TotalSeconds:F0} msg/s"));
    await generator.DisconnectAsync();
    return 0;
}

var serve = mode == "serve";
var embedded = mode == "embedded" || (serve && !args.Contains("--external"));
if (embedded && port == 0)
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
}

var settings = new Dictionary<string, string?>
{
    ["Controller:Mqtt:Mode"] = embedded ? "Embedded" : "External",
    ["Controller:Mqtt:SharedGroup"] = "controllers",
    ["Controller:Mqtt:Listen"] = $"127.0.0.1:{port}",
    // Every simulated agent connects from 127.0.0.1: lift the broker's per-source limits (docs/security.md).
    ["Controller:Mqtt:Limits:ConnectionBurst"] = "1000000",
    ["Controller:Mqtt:Limits:ConnectionsPerMinute"] = "1000000",
    ["Controller:Mqtt:Limits:MaxConnectionsPerSource"] = "1000000",
    ["Controller:Mqtt:Host"] = "127.0.0.1",
    ["Controller:Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture),
    ["Controller:Mqtt:Username"] = "controller",
    ["Controller:Mqtt:Password"] = "bench",
    ["Controller:Ingest:Workers"] = workers.ToString(CultureInfo.InvariantCulture),
};
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(settings);
builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<ISiteDirectory, BenchSiteDirectory>();
builder.Services.AddSingleton<ISiteEventLog, BenchEventLog>();
builder.Services.AddTelemetryIngest();
using var host = builder.Build();

long ingested = 0;
var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var target = messages / agents * agents;
using var meterListener = new MeterListener();
meterListener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == IngestMetrics.MeterName && instrument.Name == "gateway.ingest.messages")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
var firstIngested = new TaskCompletionSource<(long Ticks, TimeSpan Cpu)>(TaskCreationOptions.RunContinuationsAsynchronously);
meterListener.SetMeasurementEventCallback<long>((_, value, _, _) =>
{
    var total = Interlocked.Add(ref ingested, value);
    if (total == value)
    {
        firstIngested.TrySetResult((Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime));
    }

    if (total >= target)
    {
        done.TrySetResult();
    }
});
meterListener.Start();
await host.StartAsync();
await Task.Delay(embedded ? 0 : 500); // external: let the controller subscribe
if (serve)
{
    Console.WriteLine(FormattableString.Invariant($"port {port}"));
    var served = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(300)));
    var end = Stopwatch.GetTimestamp();
    var endCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (startTicks, startCpu) = firstIngested.Task.IsCompleted ? await firstIngested.Task : (end, endCpu);
    var seconds = Stopwatch.GetElapsedTime(startTicks, end).TotalSeconds;
    var got = Interlocked.Read(ref ingested);
    var cpuSeconds = (endCpu - startCpu).TotalSeconds;
    Console.WriteLine(FormattableString.Invariant(
        $"mode=serve-{(embedded ? "embedded" : "external")} workers={workers} ingested={got}/{target} in {seconds:F3}s rate={got / Math.Max(seconds, 1e-9):F0} msg/s controller-cpu={cpuSeconds:F2}s = {got / Math.Max(cpuSeconds, 1e-9):F0} msg per cpu-second{(served == done.Task ? string.Empty : " (TIMED OUT)")}"));
    await host.StopAsync();
    return served == done.Task ? 0 : 1;
}

var load = new LoadGenerator("127.0.0.1", port, agents, messages, qos, window, eventEvery, embedded ? BenchSiteDirectory.Password : Environment.GetEnvironmentVariable("BENCH_SITE_PASSWORD"));
await load.ConnectAsync();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var stopwatch = Stopwatch.StartNew();
var publishing = await load.RunAsync();
var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(120)));
var elapsed = stopwatch.Elapsed;
var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
var count = Interlocked.Read(ref ingested);
Console.WriteLine(FormattableString.Invariant(
    $"mode={mode} agents={agents} qos={(int)qos} window={window} eventEvery={eventEvery} workers={workers} sent={target} ingested={count} publish={publishing.TotalSeconds:F3}s ingest={elapsed.TotalSeconds:F3}s rate={count / elapsed.TotalSeconds:F0} msg/s cpu={cpu.TotalSeconds:F1}s{(finished == done.Task ? string.Empty : " (TIMED OUT)")}"));
await load.DisconnectAsync();
await host.StopAsync();
return finished == done.Task ? 0 : 1;
