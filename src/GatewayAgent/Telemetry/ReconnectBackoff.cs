namespace GatewayAgent.Telemetry;

/// <summary>
/// Delays between MQTT connection attempts (MQTTnet 5 has no managed client): exponential from ReconnectMin, capped at
/// ReconnectMax, with jitter so a thousand sites cut by the same outage do not all come back in the same second.
/// Attempt n waits a uniform time in [max(min, c/2), c] where c = min(max, min · 2^(n+1)).
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private int _attempt;

    public ReconnectBackoff(TimeSpan min, TimeSpan max, TimeProvider time, Random random)
    {
        _min = min;
        _max = max < min ? min : max;
        _time = time;
        _random = random;
    }

    /// <summary>Failed attempts since the last success.</summary>
    public int Attempt => _attempt;

    /// <summary>The upper bound of the delay after <paramref name="attempt"/> failures.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt + 1, 40));
        var ticks = Math.Min(_max.Ticks, _min.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan NextDelay()
    {
        var ceiling = Ceiling(_attempt);
        _attempt++;
        var floor = Math.Max(_min.Ticks, ceiling.Ticks / 2);
        var ticks = floor + (long)(_random.NextDouble() * (ceiling.Ticks - floor));
        return TimeSpan.FromTicks(ticks);
    }

    /// <summary>Waits the next delay on the injected clock.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _time, cancellationToken);

    /// <summary>Connected: the next failure starts again from the minimum.</summary>
    public void Reset() => _attempt = 0;
}
