using System.Diagnostics;
using GatewayAgent.Tests.Support;
using Xunit.Abstractions;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// The 4,527 INVITE cases of PROTOS c07-sip, each followed by its CANCEL, sent group by group to one running agent.
/// PROTOS's pass criterion is robustness: after every group the agent is still running and answers a probe call, and
/// its memory stays bounded. What it answered to each case is reported, not judged (but for the valid case 0).
/// </summary>
public sealed class ProtosTests
{
    private const long MaxResidentBytes = 200L * 1024 * 1024;

    private readonly ITestOutputHelper _output;

    public ProtosTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task EveryCase_AgentSurvivesAndKeepsAnsweringProbeCalls()
    {
        var groups = ProtosGroup.ReadAll(ConformanceCorpus.ProtosGroups);
        Assert.Equal(Enumerable.Range(0, ProtosCorpus.CaseCount), groups.SelectMany(g => g.Cases));
        using var corpus = await ProtosCorpus.UnpackAsync();

        // Mutated INVITEs that still reach the monitoring number are answered and hold a channel until our CANCEL (too
        // late: the agent answers at once) or the maximum duration ends them; the probes must not find the line busy.
        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:Sip:Channels"] = "1000",
            ["Agent:Sip:MaxCallDuration"] = "00:00:02",
        });
        await using var driver = new ProtosDriver(agent, ProtosCorpus.CaseCount);
        var clock = Stopwatch.StartNew();
        long maxResident = agent.ResidentBytes();
        foreach (var group in groups)
        {
            foreach (var index in group.Cases)
            {
                await driver.SendAsync(corpus.Read(index));
            }

            await driver.DrainAsync();
            Assert.False(agent.HasExited, $"the agent exited during group {group.Name}:\n{Tail(agent)}");
            var probe = await driver.ProbeAsync();
            Assert.True(probe is null, $"after group {group.Name} (cases {group.First}-{group.First + group.Count - 1}): {probe}\n{Tail(agent)}");
            maxResident = Math.Max(maxResident, agent.ResidentBytes());
            _output.WriteLine($"{group.Name,-32} {group.Count,4} cases  {Tally(driver.Results.Skip(group.First).Take(group.Count), r => r.FinalInviteCode)}");
        }

        clock.Stop();
        maxResident = Math.Max(maxResident, agent.ResidentBytes());
        Report(driver, agent, clock.Elapsed, maxResident);

        Assert.Equal(200, driver.Results[0].FinalInviteCode);
        Assert.False(agent.HasExited, Tail(agent));
        Assert.True(maxResident < MaxResidentBytes, $"the agent's resident memory reached {maxResident / (1024 * 1024)} MiB (limit {MaxResidentBytes / (1024 * 1024)} MiB)");
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
        _output.WriteLine($"agent BYEs answered: {driver.ByesAnswered}; datagrams naming no case: {driver.Unmatched}; agent RSS max {maxResident / (1024 * 1024)} MiB");
        var errors = agent.Lines.Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        _output.WriteLine($"agent error log lines: {errors.Count}");
        foreach (var line in errors.Take(20))
        {
            _output.WriteLine("  " + line);
        }
    }

    /// <summary>"100×1234 400×2000 none×17", codes in order.</summary>
    private static string Tally(IEnumerable<ProtosCaseResult> results, Func<ProtosCaseResult, int> code) =>
        string.Join(" ", results.GroupBy(code).OrderBy(g => g.Key == 0 ? int.MaxValue : g.Key).Select(g => $"{(g.Key == 0 ? "none" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}×{g.Count()}"));

    private static string Tail(AgentProcess agent) => string.Join('\n', agent.Lines.TakeLast(40));
}
