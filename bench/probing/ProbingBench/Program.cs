using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using GatewayAgent.Controller.Probing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProbingBench;

// Usage:
//   ProbingBench capacity <contracts> <interval-s> <duration-s> <site host:port>[,<site>...] [max-concurrent] [timeout-s]
//   ProbingBench rate <concurrency> <duration-s> <site host:port>
// The sites are sipp uas processes (bench/probing/capacity.sh and rate.sh start them).
var mode = args.ElementAtOrDefault(0) ?? "";
var inv = CultureInfo.InvariantCulture;
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
var metrics = new ProbingMetrics(services.GetRequiredService<IMeterFactory>());
var process = Process.GetCurrentProcess();
// The sipp farm on loopback stands in for the carrier edge: trusted, so exempt from the prober's per-source rate limit
// (Controller:Probing:AllowedSources, docs/security.md); one sipp answers thousands of probes a second.
var farmSources = Options.Create(new GatewayAgent.Sip.Security.SourceGuardOptions { AllowedSources = ["127.0.0.0/8"] });

if (mode == "capacity")
{
    var contracts = int.Parse(args[1], inv);
    var interval = TimeSpan.FromSeconds(double.Parse(args[2], inv));
    var duration = TimeSpan.FromSeconds(double.Parse(args[3], inv));
    var sites = args[4].Split(',');
    var options = new ProbingOptions
    {
        Interval = interval,
        Jitter = TimeSpan.FromMilliseconds(Math.Min(1000, interval.TotalMilliseconds / 10)),
        Round = TimeSpan.FromSeconds(Math.Min(10, interval.TotalSeconds)),
        Timeout = TimeSpan.FromSeconds(args.Length > 6 ? double.Parse(args[6], inv) : 8),
        MaxConcurrent = args.Length > 5 ? int.Parse(args[5], inv) : 5000,
        Canary = $"sip:0399999999@{sites[0]}",
    };
    await using var dialer = new SipProbeDialer(Options.Create(options), TimeProvider.System, loggers, farmSources);
    await dialer.StartAsync(CancellationToken.None);
    var targets = new BenchTargets(contracts, sites);
    var sink = new BenchSink();
    using var scheduler = new ProbeScheduler(targets, sink, dialer, Options.Create(options), metrics, TimeProvider.System, loggers.CreateLogger<ProbeScheduler>());
    Console.WriteLine($"capacity: {contracts} contracts every {interval.TotalSeconds} s = {contracts / interval.TotalSeconds:F0} probes/s for {duration.TotalSeconds} s; sites {args[4]}; max {options.MaxConcurrent} at once; timeout {options.Timeout.TotalSeconds} s");
    var cpu0 = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await scheduler.StartAsync(CancellationToken.None);
    long lastPlaced = 0, maxInFlight = 0, peakRss = 0;
    while (clock.Elapsed < duration)
    {
        await Task.Delay(1000);
        process.Refresh();
        peakRss = Math.Max(peakRss, process.WorkingSet64);
        maxInFlight = Math.Max(maxInFlight, metrics.InFlight);
        var placed = metrics.PlacedTotal;
        Console.WriteLine($"t={clock.Elapsed.TotalSeconds,5:F0}s placed/s={placed - lastPlaced,5} reached={metrics.ReachedTotal} missed={metrics.MissedTotal} degraded={metrics.DegradedTotal} in_flight={metrics.InFlight} tx={dialer.ClientTransactionCount} records={dialer.ClientTransactionRecordCount} rss={process.WorkingSet64 >> 20} MiB");
        lastPlaced = placed;
    }

    var placedInWindow = metrics.PlacedTotal;
    var elapsed = clock.Elapsed;
    // Steady-state live heap (a full collection) over the transactions alive at that moment, live ones and the compact
    // records of those past their final response: what one probe costs while its transactions linger (Timer M 32 s
    // after the 2xx, Timer K 5 s after the BYE's 200).
    var liveTransactions = dialer.ClientTransactionCount + dialer.ClientTransactionRecordCount;
    var liveHeap = GC.GetTotalMemory(forceFullCollection: true);
    targets.Stopped = true; // drain: no new probes after the next round starts
    var drain = Stopwatch.StartNew();
    while ((metrics.InFlight > 0 || sink.Records < metrics.PlacedTotal) && drain.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(200);
    }

    await scheduler.StopAsync(CancellationToken.None);
    var cpu = process.TotalProcessorTime - cpu0;
    var setup = sink.SetupMs.Order().ToArray();
    double P(double q) => setup.Length == 0 ? double.NaN : setup[Math.Min(setup.Length - 1, (int)(q * setup.Length))];
    Console.WriteLine($"RESULT capacity contracts={contracts} interval_s={interval.TotalSeconds} target_rate={contracts / interval.TotalSeconds:F0}/s " +
        $"achieved_rate={placedInWindow / elapsed.TotalSeconds:F0}/s placed={metrics.PlacedTotal} recorded={sink.Records} reached={metrics.ReachedTotal} " +
        $"missed={metrics.MissedTotal} degraded={metrics.DegradedTotal} canary_placed={metrics.CanaryPlacedTotal} canary_missed={metrics.CanaryMissedTotal} " +
        $"setup_ms_p50={P(0.5):F1} p99={P(0.99):F1} max={(setup.Length > 0 ? setup[^1] : double.NaN):F1} max_in_flight={maxInFlight} " +
        $"cpu_s={cpu.TotalSeconds:F1} cpu_share={cpu.TotalSeconds / (elapsed + drain.Elapsed).TotalSeconds:P0} peak_rss_mib={peakRss >> 20} " +
        $"live_heap_mib={liveHeap >> 20} live_tx={liveTransactions} bytes_per_live_tx={(liveTransactions > 0 ? liveHeap / liveTransactions : 0)}");
    foreach (var miss in sink.Misses.Take(10))
    {
        Console.WriteLine($"MISS {miss}");
    }

    return;
}

if (mode == "rate")
{
    var concurrency = int.Parse(args[1], inv);
    var duration = TimeSpan.FromSeconds(double.Parse(args[2], inv));
    var site = args[3];
    var options = new ProbingOptions();
    await using var dialer = new SipProbeDialer(Options.Create(options), TimeProvider.System, loggers, farmSources);
    await dialer.StartAsync(CancellationToken.None);
    long ok = 0, failed = 0, n = 0;
    var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
    var cpu0 = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    async Task Worker()
    {
        while (clock.Elapsed < duration)
        {
            var i = Interlocked.Increment(ref n);
            var target = new ProbeTarget(i, $"sip:03{i % 100_000_000:D8}@{site}", "", null, null, null);
            var result = await dialer.DialAsync(target, TimeSpan.FromSeconds(8), CancellationToken.None);
            var c = ProbeClassifier.Classify(result);
            if (c.Outcome == ProbeOutcome.Reached && result.ByeStatus == 200)
            {
                Interlocked.Increment(ref ok);
            }
            else
            {
                Interlocked.Increment(ref failed);
                failures.AddOrUpdate(c.Detail + (result.ByeStatus is { } b ? $" bye={b}" : ""), 1, (_, v) => v + 1);
            }
        }
    }

    Console.WriteLine($"rate: {concurrency} probes at a time for {duration.TotalSeconds} s against {site} (answer, ACK, BYE)");
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
    var elapsed = clock.Elapsed;
    var cpu = process.TotalProcessorTime - cpu0;
    process.Refresh();
    Console.WriteLine($"RESULT rate concurrency={concurrency} calls={ok + failed} ok={ok} failed={failed} calls_per_s={(ok + failed) / elapsed.TotalSeconds:F0} " +
        $"cpu_share={cpu.TotalSeconds / elapsed.TotalSeconds:P0} rss_mib={process.WorkingSet64 >> 20}");
    foreach (var (detail, count) in failures)
    {
        Console.WriteLine($"FAIL {count} x {detail}");
    }

    return;
}

Console.Error.WriteLine("usage: ProbingBench capacity <contracts> <interval-s> <duration-s> <host:port>[,...] [max-concurrent] [timeout-s] | rate <concurrency> <duration-s> <host:port>");
Environment.ExitCode = 2;
