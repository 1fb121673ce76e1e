using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using GatewayAgent.Contracts.Api;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Bench.PortalLoad;

/// <summary>
/// portal-load: a real HTTP client load on gateway-portal (issue 11's performance goals), open loop at a fixed rate, with
/// latency measured from each request's scheduled start (so a slow server cannot hide its queue), and the server's CPU
/// and RSS read from /proc next to every rate.
///   seed DATA_DIR ACCOUNTS           contracts 0350000001.. and a temporary password for each contract number's line
///                                    login, through the controller's stores; prints "NUMBER DIGITS" lines
///   run URL PID ACCOUNTS_FILE [SECONDS]   prepare the accounts (first login, change, OTP declined), then the phases
/// </summary>
public static partial class Program
{
    private const string Password = "Bq7kPz2x9W";

    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["seed", var data, var count]:
                await SeedAsync(data, int.Parse(count, CultureInfo.InvariantCulture));
                return 0;
            case ["run", var url, var pid, var file, .. var rest]:
                var seconds = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 30;
                await RunAsync(new Uri(url), int.Parse(pid, CultureInfo.InvariantCulture), File.ReadAllLines(file), seconds);
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: portal-load seed DATA_DIR ACCOUNTS | run URL PORTAL_PID ACCOUNTS_FILE [SECONDS]");
                return 2;
        }
    }

    private static async Task SeedAsync(string data, int count)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [$"--Controller:DataDirectory={data}"] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddControllerStorage().AddContracts().AddPortalAccounts();
        using var host = builder.Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(SchemaMigrations.All, CancellationToken.None);
        var contracts = host.Services.GetRequiredService<ContractStore>();
        var issuer = host.Services.GetRequiredService<ITemporaryPasswordIssuer>();
        for (var i = 1; i <= count; i++)
        {
            var number = string.Create(CultureInfo.InvariantCulture, $"035{i:D7}");
            var second = string.Create(CultureInfo.InvariantCulture, $"036{i:D7}");
            var monitoring = string.Create(CultureInfo.InvariantCulture, $"037{i:D7}");
            await contracts.CreateAsync(new ContractDefinition
            {
                ContractNumber = number,
                AdditionalNumbers = [second, monitoring],
                Channels = 2,
                MonitoringNumber = monitoring,
                ProbeTarget = "sip:192.0.2.10:5060",
                Destinations = [new DestinationEntry(number, "09012345678"), new DestinationEntry(second, "09012345679")],
                Notification = new NotificationSettings { HolderName = "株式会社ベンチ", SiteInformation = "本社", Recipients = [new RecipientEntry("ops@example.jp", true)], ServiceOn = true },
            }, CancellationToken.None);
            var digits = string.Create(CultureInfo.InvariantCulture, $"{58200000 + i:D8}");
            var refusal = await issuer.IssueAsync(number, AuthenticationUnit.Line, null, digits, CancellationToken.None);
            if (refusal is not null)
            {
                throw new InvalidOperationException($"{number}: {refusal}");
            }

            Console.WriteLine($"{number} {digits}");
        }
    }

    private static async Task RunAsync(Uri site, int pid, string[] accounts, int seconds)
    {
        var logins = accounts.Select(l => l.Split(' ')).Where(p => p.Length == 2).Select(p => (Number: p[0], Temporary: p[1])).ToList();
        Console.WriteLine($"# portal-load: {site} pid {pid}, {logins.Count} accounts, {seconds} s per phase, {Environment.ProcessorCount} cores, load {LoadAverage()}");

        // Each account's first use, as a customer does it: temporary password, forced change, the OTP choice declined.
        var sessions = new List<HttpClient>();
        foreach (var (number, temporary) in logins)
        {
            var client = NewClient(site);
            Expect(await LogInAsync(client, number, temporary), "/Account/ChangePassword", number);
            var change = await client.GetStringAsync(new Uri("Account/ChangePassword", UriKind.Relative));
            Expect(await PostAsync(client, "Account/ChangePassword", change, new()
            {
                ["CurrentPassword"] = temporary,
                ["NewPassword"] = Password,
                ["ConfirmPassword"] = Password,
            }), "/", number); // then the OTP gate sends every page to the choice
            var choice = await client.GetStringAsync(new Uri("Account/Otp/Choice", UriKind.Relative));
            Expect(await PostAsync(client, "Account/Otp/Choice", choice, new() { ["Usage"] = "decline", ["Agree"] = "true" }), "/", number);
            sessions.Add(client);
        }

        // Each session reads its own contract's pages in turn.
        string PageOf(int n)
        {
            var number = logins[n % sessions.Count].Number;
            return ((n / sessions.Count) % 3) switch
            {
                0 => "Contract/Forwarding",
                1 => "Contract/Notification",
                _ => $"Contract/Destination?number={number}",
            };
        }

        Console.WriteLine("| phase | rate /s | requests | ok | p50 ms | p90 ms | p99 ms | max ms | portal CPU % (of 1 core) | portal RSS MB (start / peak) | load tool CPU % | machine busy % | load avg (1 min) at end |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");

        // Reference 1: the PBKDF2 verification alone (ASP.NET Core Identity's PasswordHasher, the site's), one thread.
        var hasher = new PasswordHasher<string>();
        var hash = hasher.HashPassword("x", Password);
        var verify = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = hasher.VerifyHashedPassword("x", hash, Password);
            verify.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        Console.WriteLine($"| reference: PasswordHasher.VerifyHashedPassword in-process, 1 thread, back to back | - | 100 | 100 | {P(verify, 50):0.0} | {P(verify, 90):0.0} | {P(verify, 99):0.0} | {verify.Max():0.0} | - | - | - | - | - |");

        // Reference 2: /healthz (no session, no database) at the page rate: the HTTP stack's own floor.
        var i2 = 0;
        await PhaseAsync("reference: GET /healthz", 100, seconds, pid, async () =>
        {
            var client = sessions[Interlocked.Increment(ref i2) % sessions.Count];
            using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
            return Outcome(response);
        });

        // Logged-in contract pages (SS-2 policy, claims re-read from the database, the contract read and rendered).
        await SettleAsync(sessions[0]);
        var p = 0;
        await PhaseAsync("GET contract pages (Forwarding, Notification, Destination), logged in", 100, seconds, pid, async () =>
        {
            var n = Interlocked.Increment(ref p);
            var client = sessions[n % sessions.Count];
            using var response = await client.GetAsync(new Uri(PageOf(n), UriKind.Relative));
            return Outcome(response);
        });

        // Login: a new connection and cookie jar per login (a customer's browser), GET the form for its antiforgery
        // token, POST number + password; the time is the POST's (hashing included), the GET+POST in the next row. A
        // ladder up to the goal's 20/s, each step after the site has settled (the hashing of a step's late logins
        // would otherwise run into the next).
        foreach (var rate in new[] { 5, 10, 20 })
        {
            await SettleAsync(sessions[0]);
            var l = 0;
            var both = new List<double>();
            await PhaseAsync("login POST (PBKDF2 verify, session cookie)", rate, seconds, pid, async () =>
            {
                var (number, _) = logins[Interlocked.Increment(ref l) % logins.Count];
                using var client = NewClient(site);
                var begin = Stopwatch.GetTimestamp();
                var location = await LogInAsync(client, number, Password);
                lock (both)
                {
                    both.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                }

                return location == "/" ? "ok" : $"login answered {location}";
            }, timeOnlyPost: true);
            Console.WriteLine($"| login GET form + POST, same logins | {rate} | {both.Count} | - | {P(both, 50):0.0} | {P(both, 90):0.0} | {P(both, 99):0.0} | {both.Max():0.0} | (row above) | (row above) | - | - | - |");
        }
    }

    /// <summary>Waits (at most 60 s) until /healthz answers within 20 ms three times in a row: the site has no backlog left.</summary>
    private static async Task SettleAsync(HttpClient client)
    {
        var quick = 0;
        var deadline = Stopwatch.StartNew();
        while (quick < 3 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));
            quick = Stopwatch.GetElapsedTime(start) < TimeSpan.FromMilliseconds(20) ? quick + 1 : 0;
            await Task.Delay(200);
        }
    }

    // The POST's own time for the login phase is measured inside LogInAsync and collected here.
    private static readonly AsyncLocal<List<double>?> PostTimes = new();

    private static async Task PhaseAsync(string name, int rate, int seconds, int pid, Func<Task<string>> request, bool timeOnlyPost = false)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var oks = 0;
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var cpu0 = ProcessTicks(pid);
        var self0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (busy0, all0) = MachineTicks();
        var rss0 = RssKb(pid);
        var peak = rss0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
            {
                peak = Math.Max(peak, RssKb(pid));
            }
        });
        var wall = Stopwatch.StartNew();
        var tasks = new Task[total];
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var ahead = due - wall.Elapsed;
            if (ahead > TimeSpan.Zero)
            {
                await Task.Delay(ahead);
            }

            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                var times = timeOnlyPost ? new List<double>() : null;
                PostTimes.Value = times;
                string outcome;
                try
                {
                    outcome = await request();
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // refused, reset or over the client's 30 s timeout: counted as failed, timed as it ended
                    outcome = ex is TaskCanceledException ? "client timeout (30 s)" : "connection error";
                }

                var ok = outcome == "ok";
                if (!ok)
                {
                    failures.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }

                // From the scheduled start (open loop): time spent waiting for a free worker counts.
                latencies[index] = times is { Count: > 0 } ? times[^1] : (wall.Elapsed - due).TotalMilliseconds;
                if (ok)
                {
                    Interlocked.Increment(ref oks);
                }
            });
        }

        await Task.WhenAll(tasks);
        var elapsed = wall.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
        }

        var cpu = (ProcessTicks(pid) - cpu0) / 100.0 / elapsed * 100;
        var self = (Process.GetCurrentProcess().TotalProcessorTime - self0).TotalSeconds / elapsed * 100;
        var (busy1, all1) = MachineTicks();
        var machine = 100.0 * (busy1 - busy0) / Math.Max(1, all1 - all0);
        var sorted = latencies.ToList();
        Console.WriteLine($"| {name} | {rate} | {total} | {oks} | {P(sorted, 50):0.0} | {P(sorted, 90):0.0} | {P(sorted, 99):0.0} | {sorted.Max():0.0} | {cpu:0} | {rss0 / 1024.0:0} / {peak / 1024.0:0} | {self:0} | {machine:0} | {LoadAverage().Split(' ')[0]} |");
        if (!failures.IsEmpty)
        {
            Console.WriteLine($"| ({name}: failed: {string.Join(", ", failures.Select(f => $"{f.Key} ×{f.Value}"))}) |");
        }
    }

    private static string Outcome(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK ? "ok" : $"{(int)response.StatusCode} {response.Headers.Location?.OriginalString}".TrimEnd();

    private static HttpClient NewClient(Uri site) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = site,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>GET the login form, POST the number and password; returns the redirect's target ("/" when logged in).</summary>
    private static async Task<string?> LogInAsync(HttpClient client, string number, string password)
    {
        var form = await client.GetStringAsync(new Uri("Account/Login", UriKind.Relative));
        var begin = Stopwatch.GetTimestamp();
        var location = await PostAsync(client, "Account/Login", form, new() { ["Number"] = number, ["Password"] = password });
        PostTimes.Value?.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        return location;
    }

    /// <summary>Posts the page's form (the one posting to itself, not the menu's logout) with its hidden fields (antiforgery token, FormVersion) and <paramref name="fields"/>.</summary>
    private static async Task<string?> PostAsync(HttpClient client, string path, string page, Dictionary<string, string> fields)
    {
        var form = Forms().Matches(page).FirstOrDefault(f => !f.Groups["attributes"].Value.Contains("action=", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"{path}: no form posting to itself");
        foreach (Match input in Inputs().Matches(form.Value))
        {
            var attributes = Attributes().Matches(input.Value).ToDictionary(a => a.Groups["key"].Value, a => WebUtility.HtmlDecode(a.Groups["value"].Value), StringComparer.Ordinal);
            if (attributes.GetValueOrDefault("type") == "hidden" && attributes.TryGetValue("name", out var name))
            {
                fields.TryAdd(name, attributes.GetValueOrDefault("value") ?? "");
            }
        }

        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location?.OriginalString : $"{(int)response.StatusCode}";
    }

    private static void Expect(string? location, string expected, string number)
    {
        if (location != expected)
        {
            throw new InvalidOperationException($"{number}: expected a redirect to {expected}, got {location}");
        }
    }

    private static double P(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private static long ProcessTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static (long Busy, long All) MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        var all = cpu.Take(8).Sum();
        return (all - idle, all);
    }

    private static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    [GeneratedRegex("<form(?<attributes>[^>]*)>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Forms();

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex Inputs();

    [GeneratedRegex("(?<key>[a-zA-Z-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex Attributes();
}
