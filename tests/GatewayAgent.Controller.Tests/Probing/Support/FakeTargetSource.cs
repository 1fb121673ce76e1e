using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>The store's contract list, changeable by the test between rounds.</summary>
internal sealed class FakeTargetSource : IProbeTargetSource
{
    public IReadOnlyList<ProbeTarget> Targets { get; set; } = [];

    public int Reads { get; private set; }

    public ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(CancellationToken cancellationToken)
    {
        Reads++;
        return ValueTask.FromResult(Targets);
    }

    public static ProbeTarget Contract(long id, TimeSpan? interval = null) =>
        new(id, $"sip:0300{id:D6}@127.0.0.1:5060", $"0300{id:D6}", null, interval, null);

    public static IReadOnlyList<ProbeTarget> Contracts(int count) => Enumerable.Range(1, count).Select(i => Contract(i)).ToList();
}
