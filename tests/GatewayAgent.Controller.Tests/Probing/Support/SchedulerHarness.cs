using GatewayAgent.Controller.Probing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests.Probing.Support;

/// <summary>A real ProbeScheduler on a fake clock with a fake dialer, source and sink.</summary>
internal sealed class SchedulerHarness : IAsyncDisposable
{
    /// <summary>A round and window boundary (2026-01-01T00:00:00Z), so windows start at the test's t=0.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public SchedulerHarness(ProbingOptions options, IReadOnlyList<ProbeTarget> targets)
    {
        Options = options;
        Time = new FakeTimeProvider(Epoch);
        Targets = new FakeTargetSource { Targets = targets };
        Sink = new RecordingSink();
        Dialer = new FakeProbeDialer(Time);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new ProbingMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        Scheduler = new ProbeScheduler(Targets, Sink, Dialer, Microsoft.Extensions.Options.Options.Create(options), Metrics, Time, NullLogger<ProbeScheduler>.Instance, TargetsChanged, canaryHealth: CanaryHealth);
    }

    public ProbingOptions Options { get; }

    /// <summary>What the contract store tells the scheduler after a committed change.</summary>
    public ProbeTargetsChanged TargetsChanged { get; } = new();

    public FakeTimeProvider Time { get; }

    /// <summary>The canary state the scheduler shares (the cluster membership reads it).</summary>
    public CanaryHealth CanaryHealth { get; } = new();

    public FakeTargetSource Targets { get; }

    public RecordingSink Sink { get; }

    public FakeProbeDialer Dialer { get; }

    public ProbingMetrics Metrics { get; }

    public ProbeScheduler Scheduler { get; }

    /// <summary>Seconds since <see cref="Epoch"/>.</summary>
    public static double Seconds(DateTimeOffset at) => (at - Epoch).TotalSeconds;

    public async Task StartAsync()
    {
        await Scheduler.StartAsync(CancellationToken.None);
        await IdleAsync();
    }

    /// <summary>Moves the clock forward in steps, letting the scheduler handle each step before the next.</summary>
    public async Task AdvanceAsync(TimeSpan total, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(100);
        var end = Time.GetUtcNow() + total;
        while (Time.GetUtcNow() < end)
        {
            var next = end - Time.GetUtcNow();
            Time.Advance(next < s ? next : s);
            await IdleAsync();
        }
    }

    public async Task IdleAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Scheduler.WaitForIdleAsync(bound.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.StopAsync(CancellationToken.None);
        Scheduler.Dispose();
        await _services.DisposeAsync();
    }
}
