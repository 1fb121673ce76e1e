namespace GatewayAgent.Controller.Probing;

/// <summary>
/// Where in its interval a contract is probed: a stable phase from a hash of the contract id (so 100,000 contracts
/// spread evenly and keep their place across restarts), plus a little random jitter.
/// </summary>
internal static class ProbePhase
{
    /// <summary>The contract's phase in [0, 1): SplitMix64 of the id, top 53 bits.</summary>
    public static double Of(long contractId)
    {
        var z = unchecked((ulong)contractId + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The jitter bound: the configured jitter, at most a tenth of the interval.</summary>
    public static long JitterTicks(long intervalTicks, TimeSpan jitter) => Math.Min(jitter.Ticks, intervalTicks / 10);

    /// <summary>
    /// The due time in window <paramref name="window"/> (the window is [window·interval, (window+1)·interval) in UTC
    /// ticks): phase·(interval − jitter) + a random jitter below the bound, so the probe always falls inside its window.
    /// </summary>
    public static long Due(double phase, long window, long intervalTicks, long jitterTicks, Random random)
    {
        var offset = (long)(phase * (intervalTicks - jitterTicks));
        var jitter = jitterTicks > 0 ? random.NextInt64(jitterTicks) : 0;
        return (window * intervalTicks) + offset + jitter;
    }
}
