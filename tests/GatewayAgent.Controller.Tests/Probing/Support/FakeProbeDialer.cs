using System.Collections.Concurrent;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>A dialer with no network: records each call with the (fake) time and answers as the test says.</summary>
internal sealed class FakeProbeDialer : IProbeDialer
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _called = new(0);
    private int _inFlight;
    private int _maxInFlight;

    public FakeProbeDialer(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>How contract probes are answered (default: 200 after 50 ms of setup).</summary>
    public Func<ProbeTarget, Task<ProbeDialResult>> Answer { get; set; } =
        _ => Task.FromResult(ProbeDialResult.Response(200, TimeSpan.FromMilliseconds(50), 180));

    /// <summary>Whether the canary (contract id 0) answers.</summary>
    public bool CanaryUp { get; set; } = true;

    public ConcurrentQueue<(long ContractId, DateTimeOffset At)> Calls { get; } = new();

    public ConcurrentQueue<DateTimeOffset> CanaryCalls { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    public IReadOnlyList<DateTimeOffset> CallsOf(long contractId) => Calls.Where(c => c.ContractId == contractId).Select(c => c.At).ToList();

    /// <summary>Waits (event-driven; the bound only stops a broken test) until this many contract probes were placed.</summary>
    public async Task WaitForCallsAsync(int count)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (Calls.Count < count)
        {
            await _called.WaitAsync(bound.Token);
        }
    }

    public async Task<ProbeDialResult> DialAsync(ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target.ContractId == 0)
        {
            CanaryCalls.Enqueue(_time.GetUtcNow());
            return CanaryUp ? ProbeDialResult.Response(200, TimeSpan.FromMilliseconds(20), 180) : ProbeDialResult.TimedOut();
        }

        Calls.Enqueue((target.ContractId, _time.GetUtcNow()));
        _called.Release();
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            return await Answer(target).WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
