using System.Collections.Concurrent;
using GatewayAgent.Controller.Probing;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>A dialer with no network: records each call with the (fake) time and answers as the test says.</summary>
internal sealed class FakeProbeDialer : IProbeDialer
{
    private readonly TimeProvider _time;
    private readonly Changes _called = new();
    private readonly Changes _canaryCalled = new();
    private int _inFlight;
    private int _maxInFlight;
    private int _canaryInFlight;
    private int _maxCanaryInFlight;

    public FakeProbeDialer(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>How contract probes are answered (default: 200 after 50 ms of setup).</summary>
    public Func<ProbeTarget, Task<ProbeDialResult>> Answer { get; set; } =
        _ => Task.FromResult(ProbeDialResult.Response(200, TimeSpan.FromMilliseconds(50), 180));

    /// <summary>Whether the canary (contract id 0) answers at once (200) or times out at once; see <see cref="CanaryAnswer"/>.</summary>
    public bool CanaryUp { get; set; } = true;

    /// <summary>When set, answers the canary instead of <see cref="CanaryUp"/>: given the call's number (1 = first) and time.</summary>
    public Func<int, DateTimeOffset, Task<ProbeDialResult>>? CanaryAnswer { get; set; }

    public ConcurrentQueue<(long ContractId, DateTimeOffset At)> Calls { get; } = new();

    public ConcurrentQueue<DateTimeOffset> CanaryCalls { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most canary calls that were dialling at once.</summary>
    public int MaxCanaryInFlight => Volatile.Read(ref _maxCanaryInFlight);

    public static ProbeDialResult Answered => ProbeDialResult.Response(200, TimeSpan.FromMilliseconds(20), 180);

    public IReadOnlyList<DateTimeOffset> CallsOf(long contractId) => Calls.Where(c => c.ContractId == contractId).Select(c => c.At).ToList();

    /// <summary>Waits (event-driven; the bound only stops a broken test) until this many contract probes were placed.</summary>
    public Task WaitForCallsAsync(int count) =>
        _called.UntilAsync(() => Calls.Count >= count, $"{count} contract probes placed", TimeSpan.FromSeconds(20), () => $"{Calls.Count} placed");

    /// <summary>Waits (event-driven; the bound only stops a broken test) until this many canary calls were placed.</summary>
    public Task WaitForCanaryCallsAsync(int count) =>
        _canaryCalled.UntilAsync(() => CanaryCalls.Count >= count, $"{count} canary calls placed", TimeSpan.FromSeconds(20), () => $"{CanaryCalls.Count} placed");

    public async Task<ProbeDialResult> DialAsync(ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (target.ContractId == 0)
        {
            return await DialCanaryAsync(cancellationToken);
        }

        Calls.Enqueue((target.ContractId, _time.GetUtcNow()));
        _called.Notify();
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

    private async Task<ProbeDialResult> DialCanaryAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        CanaryCalls.Enqueue(at);
        var number = CanaryCalls.Count;
        var now = Interlocked.Increment(ref _canaryInFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxCanaryInFlight)) < now && Interlocked.CompareExchange(ref _maxCanaryInFlight, now, seen) != seen)
        {
        }

        _canaryCalled.Notify();
        try
        {
            return CanaryAnswer is { } answer
                ? await answer(number, at).WaitAsync(cancellationToken)
                : CanaryUp ? Answered : ProbeDialResult.TimedOut();
        }
        finally
        {
            Interlocked.Decrement(ref _canaryInFlight);
        }
    }
}
