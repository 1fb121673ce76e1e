using System.Globalization;
using SiteAgents;

// SiteAgents: N simulated sites' telemetry (MQTT 5 sessions site1..siteN) publishing agent events to a broker.
//   SiteAgents --broker 127.0.0.1:PORT --sites N [--reconnect-max-s 60] [--seed 1]
// Commands on stdin: "lost I" / "restored I" (site I, 1-based, raises power.lost / power.restored; I may be "all"),
// "stats", "quit". Prints "AGENTS ready" once every site is connected, an ACK line per event the broker acknowledged,
// and a STATS line on "stats" and at the end (events raised, acknowledged, still queued, connects, failures, PUBACKs 0x10 NoMatchingSubscribers).
var inv = CultureInfo.InvariantCulture;
string Arg(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
}

var broker = Arg("--broker").Split(':');
var count = int.Parse(Arg("--sites"), inv);
var reconnectMax = TimeSpan.FromSeconds(double.Parse(Arg("--reconnect-max-s", "60"), inv));
var random = new Random(int.Parse(Arg("--seed", "1"), inv));
var output = new object();
void Log(string line)
{
    lock (output)
    {
        Console.WriteLine(line);
    }
}

using var stop = new CancellationTokenSource();
var sites = Enumerable.Range(1, count)
    .Select(i => new SimulatedSite($"site{i}", broker[0], int.Parse(broker[1], inv), reconnectMax, random, Log))
    .ToList();
var runs = sites.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToList();
while (sites.Any(s => !s.Connected))
{
    await Task.Delay(100);
}

Log($"AGENTS ready sites={count}");
long raised = 0;
void Stats(string tag) => Log(string.Create(inv,
    $"{tag} raised={raised} acked={sites.Sum(s => s.Acked)} queued={sites.Sum(s => s.Queued)} connected={sites.Count(s => s.Connected)} connects={sites.Sum(s => s.Connects)} failures={sites.Sum(s => s.Failures)} unrouted={sites.Sum(s => s.Unrouted)}"));

IEnumerable<SimulatedSite> Select(string which) => which == "all" ? sites : [sites[int.Parse(which, inv) - 1]];
while (Console.In.ReadLine() is { } line)
{
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (parts is ["lost" or "restored", var which])
    {
        foreach (var s in Select(which))
        {
            s.Raise(parts[0] == "lost" ? "power.lost" : "power.restored");
            raised++;
        }
    }
    else if (parts is ["stats"])
    {
        Stats("STATS");
    }
    else if (parts is ["quit"])
    {
        break;
    }
}

Stats("FINAL");
await stop.CancelAsync();
try
{
    await Task.WhenAll(runs);
}
catch (OperationCanceledException)
{
}
