using GatewayAgent.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Tests.Telemetry;

[Trait("Ring", "unit")]
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Delays_GrowExponentially_WithJitter_WithinMinAndMax(int seed)
    {
        var backoff = new ReconnectBackoff(Min, Max, new FakeTimeProvider(), new Random(seed));
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(Max.Ticks, Min.Ticks << (attempt + 1)));
            var delay = backoff.NextDelay();
            Assert.InRange(delay, Min, Max);
            Assert.InRange(delay, TimeSpan.FromTicks(Math.Max(Min.Ticks, ceiling.Ticks / 2)), ceiling);
        }
    }

    [Fact]
    public void Jitter_SpreadsSitesThatFailedTogether()
    {
        var delays = Enumerable.Range(0, 200)
            .Select(seed =>
            {
                var b = new ReconnectBackoff(Min, Max, new FakeTimeProvider(), new Random(seed));
                for (var i = 0; i < 6; i++)
                {
                    b.NextDelay();
                }

                return b.NextDelay();
            })
            .ToList();

        // Attempt 6 is capped at 60 s: the delays spread over [30 s, 60 s], not one instant.
        Assert.True(delays.Max() - delays.Min() > TimeSpan.FromSeconds(20), $"spread {delays.Max() - delays.Min()}");
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(30), Max));
    }

    [Fact]
    public void Reset_StartsAgainFromTheMinimum()
    {
        var backoff = new ReconnectBackoff(Min, Max, new FakeTimeProvider(), new Random(7));
        for (var i = 0; i < 10; i++)
        {
            backoff.NextDelay();
        }

        backoff.Reset();
        Assert.InRange(backoff.NextDelay(), Min, 2 * Min);
    }

    [Fact]
    public async Task WaitAsync_CompletesWhenTheFakeClockPassesTheDelay()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(Min, Max, time, new Random(1));
        var delay = backoff.NextDelay();
        var wait = backoff.WaitAsync(delay, CancellationToken.None);

        time.Advance(delay - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
