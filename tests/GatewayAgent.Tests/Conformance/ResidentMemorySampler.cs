using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Conformance;

/// <summary>Reads the agent's resident memory every <see cref="Interval"/> and keeps the highest value seen.</summary>
internal sealed class ResidentMemorySampler : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly AgentProcess _agent;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _peak;

    public ResidentMemorySampler(AgentProcess agent)
    {
        _agent = agent;
        Sample();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The highest resident set size seen so far, in bytes.</summary>
    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        if (_agent.HasExited)
        {
            return;
        }

        try
        {
            var now = _agent.ResidentBytes();
            long seen;
            while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
            {
            }
        }
        catch (InvalidOperationException)
        {
            // The process exited between the check and the read.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }
}
