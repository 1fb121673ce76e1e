using System.Diagnostics;
using GatewayAgent.LocalControl;
using GatewayAgent.Tests.Support;
using Xunit.Abstractions;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// The 4,527 INVITE cases of PROTOS c07-sip, each followed by its CANCEL, sent group by group to one running agent.
/// PROTOS's pass criterion is robustness: after every group the agent is still running and answers a probe call, and
/// its memory stays bounded. What it answered to each case is reported, not judged (but for the valid case 0).
/// </summary>
[Collection(ProtosCollection.Name)]
[Trait("Ring", "integration")]
public sealed class ProtosTests
{
    private const long Mebibyte = 1024 * 1024;

    /// <summary>The agent's memory budget under the whole corpus: 200 MiB resident.</summary>
    private const long MaxResidentBytes = 200 * Mebibyte;

    /// <summary>The agent's channels in this run (the most its options allow).</summary>
    private const int Channels = 1000;

    /// <summary>The 2 s maximum call duration, plus room for a busy machine: only a broken test or agent reaches it.</summary>
    private static readonly TimeSpan FreeChannelBound = TimeSpan.FromSeconds(15);

    private readonly ProtosCorpusFixture _fixture;
    private readonly ITestOutputHelper _output;

    public ProtosTests(ProtosCorpusFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task EveryCase_AgentSurvivesAndKeepsAnsweringProbeCalls()
    {
        var groups = ProtosGroup.ReadAll(ConformanceCorpus.ProtosGroups);
        Assert.Equal(Enumerable.Range(0, ProtosCorpus.CaseCount), groups.SelectMany(g => g.Cases));
        var corpus = _fixture.Corpus;

        // Mutated INVITEs that still reach the monitoring number are answered and hold a channel until our CANCEL (too
        // late: the agent answers at once) or the maximum duration ends them. How many are in flight at once depends on
        // the pace this machine sends at (all 1,000 channels were once taken, and a full line rightly answers 486,
        // FN-11), so each probe waits until the agent's own status shows a channel free; the probe must then succeed.
        var control = Path.Combine(Path.GetTempPath(), $"ga-{Guid.NewGuid():N}"[..15] + ".sock");
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:Sip:Channels"] = Channels.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Agent:Sip:MaxCallDuration"] = "00:00:02",
            ["Agent:LocalControl:Socket"] = control,

            // A flood test: room for the cases in flight even while a GC pauses the agent, so that what it answered
            // does not depend on the kernel dropping datagrams. The pacing keeps well within the default anyway.
            ["Agent:Sip:Transport:UdpSocketReceiveBufferSize"] = "1048576",
        });
        await using var driver = new ProtosDriver(agent, ProtosCorpus.CaseCount);
        await using var memory = new ResidentMemorySampler(agent);
        var dropsBefore = UdpReceiveBufferErrors();
        var clock = Stopwatch.StartNew();
        foreach (var group in groups)
        {
            foreach (var index in group.Cases)
            {
                await driver.SendAsync(corpus.Read(index));
            }

            await driver.DrainAsync();
            Assert.False(agent.HasExited, $"the agent exited during group {group.Name}:\n{Tail(agent)}");
            await Wait.PollAsync(() => ActiveCallsAsync(control), active => active < Channels, FreeChannelBound,
                $"a free channel after group {group.Name}", TimeSpan.FromMilliseconds(50));
            var probe = await driver.ProbeAsync();
            Assert.True(probe is null, $"after group {group.Name} (cases {group.First}-{group.First + group.Count - 1}): {probe}\n{Tail(agent)}");
            _output.WriteLine($"{group.Name,-32} {group.Count,4} cases  RSS {agent.ResidentBytes() / Mebibyte,3} MiB  {Tally(driver.Results.Skip(group.First).Take(group.Count), r => r.FinalInviteCode)}");
        }

        clock.Stop();
        var maxResident = memory.PeakBytes;
        Report(driver, agent, clock.Elapsed, maxResident);
        var table = Path.Combine(Path.GetTempPath(), "gateway-agent-protos-results.tsv");
        await File.WriteAllLinesAsync(table, driver.Results.Select(r => string.Join('\t', r.Index, r.Transport, r.FirstInviteCode, r.FinalInviteCode, r.FirstCancelCode))
            .Prepend("# case\ttransport\tfirst_invite\tfinal_invite\tfirst_cancel (0: none)"));
        _output.WriteLine($"per case: {table}");
        _output.WriteLine($"UDP datagrams the kernel dropped for a full receive buffer during the run (whole machine): {UdpReceiveBufferErrors() - dropsBefore}");

        Assert.Equal(200, driver.Results[0].FinalInviteCode);
        Assert.False(agent.HasExited, Tail(agent));
        var errors = AgentLogLines.Errors(agent.Lines);
        Assert.True(errors.Count == 0, "the agent logged errors (a handler that threw, a fault it caught):\n" + string.Join('\n', errors.Take(20)));
        Assert.True(maxResident < MaxResidentBytes, $"the agent's resident memory reached {maxResident / Mebibyte} MiB (limit {MaxResidentBytes / Mebibyte} MiB)");
    }

    private void Report(ProtosDriver driver, AgentProcess agent, TimeSpan elapsed, long maxResident)
    {
        var results = driver.Results;
        _output.WriteLine("");
        _output.WriteLine($"{results.Count} cases in {elapsed.TotalSeconds:F1} s ({results.Count(r => r.Transport == "tcp")} over TCP: too big for a datagram)");
        _output.WriteLine($"first response to the INVITE:  {Tally(results, r => r.FirstInviteCode)}");
        _output.WriteLine($"final response to the INVITE:  {Tally(results, r => r.FinalInviteCode)}");
        _output.WriteLine($"first response to the CANCEL:  {Tally(results, r => r.FirstCancelCode)}");
        _output.WriteLine($"over TCP, final to the INVITE: {Tally(results.Where(r => r.Transport == "tcp"), r => r.FinalInviteCode)}");
        _output.WriteLine($"agent BYEs answered: {driver.ByesAnswered}; datagrams naming no case: {driver.Unmatched}; agent RSS peak {maxResident / Mebibyte} MiB (sampled every {ResidentMemorySampler.Interval.TotalMilliseconds:F0} ms)");
        var errors = AgentLogLines.Errors(agent.Lines);
        var warnings = AgentLogLines.Warnings(agent.Lines);
        _output.WriteLine($"agent log: {errors.Count} error lines, {warnings.Count} warnings");
        foreach (var line in errors.Take(20).Concat(warnings.Take(10)))
        {
            _output.WriteLine("  " + (line.Length > 300 ? line[..300] + "..." : line));
        }
    }

    /// <summary>The agent's calls in progress, from its local status socket (the "status" verb's sip.activeCalls).</summary>
    private static async Task<int> ActiveCallsAsync(string control)
    {
        var reply = await LocalControlClient.SendAsync(control, new LocalControlRequest { Verb = "status" }, TimeSpan.FromSeconds(5));
        Assert.True(reply.Ok, reply.Error);
        return reply.Data!.Value.GetProperty("sip").GetProperty("activeCalls").GetInt32();
    }

    /// <summary>"100×1234 400×2000 none×17", codes in order.</summary>
    private static string Tally(IEnumerable<ProtosCaseResult> results, Func<ProtosCaseResult, int> code) =>
        string.Join(" ", results.GroupBy(code).OrderBy(g => g.Key == 0 ? int.MaxValue : g.Key).Select(g => $"{(g.Key == 0 ? "none" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}×{g.Count()}"));

    /// <summary>RcvbufErrors from /proc/net/snmp (Linux), 0 elsewhere.</summary>
    private static long UdpReceiveBufferErrors()
    {
        const string Snmp = "/proc/net/snmp";
        if (!File.Exists(Snmp))
        {
            return 0;
        }

        var lines = File.ReadAllLines(Snmp).Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        if (lines.Count < 2)
        {
            return 0;
        }

        var index = Array.IndexOf(lines[0].Split(' '), "RcvbufErrors");
        return index > 0 ? long.Parse(lines[1].Split(' ')[index], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static string Tail(AgentProcess agent) => string.Join('\n', agent.Lines.TakeLast(40));
}
