using GatewayAgent.Controller.Probing;

namespace ProbingBench;

/// <summary>N contracts, each a distinct monitoring number at one of the sipp sites (round-robin).</summary>
internal sealed class BenchTargets : IProbeTargetSource
{
    private readonly IReadOnlyList<ProbeTarget> _targets;

    public BenchTargets(int contracts, IReadOnlyList<string> sites)
    {
        _targets = Enumerable.Range(1, contracts)
            .Select(i => new ProbeTarget(i, $"sip:03{i:D8}@{sites[i % sites.Count]}", $"03{i:D8}", null, null, null))
            .ToList();
    }

    public bool Stopped { get; set; }

    public ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(Stopped ? (IReadOnlyList<ProbeTarget>)[] : _targets);
}
