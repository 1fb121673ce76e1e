using System.Globalization;
using System.Net;
using LossRelay;

// LossRelay: a UDP relay between a SIP prober and COUNT simulated sites, one front port per site.
//   LossRelay --front 127.0.0.1:BASE --count N --target 127.0.0.1:PORT [--target-step K] [--loss P] [--jitter-ms J] [--seed S] [--stats-s 10]
// Site i (0..N-1) is 127.0.0.1:BASE+i; every datagram either way is dropped with probability P and otherwise delayed
// uniformly in [0, J] ms (independent draws per site and direction, from Random(seed, site, direction)). All sites'
// datagrams go to the one UAS at --target (sipp uas), or with --target-step K > 0 site i's go to PORT + K*i (one UAS per
// site, e.g. real agents); the UAS's address in the answers is rewritten to the site's front address.
// Commands on stdin, one per line: "cut I" / "restore I" (site I drops everything / relays again; I may be "all"),
// "loss P", "jitter J", "stats", "quit". Prints "RELAY ready" when listening, then a STATS line every --stats-s seconds.
var inv = CultureInfo.InvariantCulture;
string Arg(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
}

var front = IPEndPoint.Parse(Arg("--front"));
var count = int.Parse(Arg("--count"), inv);
var target = IPEndPoint.Parse(Arg("--target"));
var seed = int.Parse(Arg("--seed", "1"), inv);
var targetStep = int.Parse(Arg("--target-step", "0"), inv);
var statsEvery = TimeSpan.FromSeconds(double.Parse(Arg("--stats-s", "10"), inv));
var settings = new RelaySettings
{
    Loss = double.Parse(Arg("--loss", "0"), inv),
    JitterMs = int.Parse(Arg("--jitter-ms", "0"), inv),
};
using var stop = new CancellationTokenSource();
var flows = new List<RelayFlow>(count);
for (var i = 0; i < count; i++)
{
    var flow = new RelayFlow(i, new IPEndPoint(front.Address, front.Port + i), new IPEndPoint(target.Address, target.Port + (targetStep * i)), settings, seed);
    flows.Add(flow);
    flow.Start(stop.Token);
}

var started = DateTimeOffset.UtcNow;
void Stats(string tag)
{
    long Sum(Func<RelayFlow, long> f) => flows.Sum(f);
    Console.WriteLine(string.Create(inv, $"{tag} t={(DateTimeOffset.UtcNow - started).TotalSeconds:F0}s loss={settings.Loss} jitter_ms={settings.JitterMs} " +
        $"up_passed={Sum(f => f.Up.Passed)} up_dropped={Sum(f => f.Up.Dropped)} up_cut={Sum(f => f.Up.CutCount)} " +
        $"down_passed={Sum(f => f.Down.Passed)} down_dropped={Sum(f => f.Down.Dropped)} down_cut={Sum(f => f.Down.CutCount)} " +
        $"cut_sites={flows.Count(f => f.Cut)}"));
}

Console.WriteLine(string.Create(inv, $"RELAY ready front={front.Address}:{front.Port}..{front.Port + count - 1} target={target} loss={settings.Loss} jitter_ms={settings.JitterMs} seed={seed}"));
_ = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(statsEvery);
    while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
    {
        Stats("STATS");
    }
});

IEnumerable<RelayFlow> Select(string which) =>
    which == "all" ? flows : [flows[int.Parse(which, inv)]];

while (Console.In.ReadLine() is { } line)
{
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (parts.Length == 0)
    {
        continue;
    }

    switch (parts[0])
    {
        case "cut" when parts.Length == 2:
            foreach (var f in Select(parts[1]))
            {
                f.Cut = true;
            }

            break;
        case "restore" when parts.Length == 2:
            foreach (var f in Select(parts[1]))
            {
                f.Cut = false;
            }

            break;
        case "loss" when parts.Length == 2:
            settings.Loss = double.Parse(parts[1], inv);
            break;
        case "jitter" when parts.Length == 2:
            settings.JitterMs = int.Parse(parts[1], inv);
            break;
        case "stats":
            Stats("STATS");
            break;
        case "quit":
            stop.Cancel();
            break;
        default:
            Console.Error.WriteLine($"unknown command: {line}");
            break;
    }

    if (stop.IsCancellationRequested)
    {
        break;
    }
}

Stats("FINAL");
await stop.CancelAsync();
foreach (var f in flows)
{
    f.Dispose();
}
