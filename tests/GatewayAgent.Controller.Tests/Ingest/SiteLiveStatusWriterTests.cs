using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// The live-status writer's database cost (docs/scale-out.md, "Live status on every node"): a change is written at
/// once when the writer is idle, and whatever comes within the next LiveFlush is one row write per site.
/// </summary>
[Trait("Ring", "unit")]
public sealed class SiteLiveStatusWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_burst_of_messages_is_one_row_write_per_site_and_a_later_change_waits_for_LiveFlush()
    {
        var clock = new WaiterAwareClock(T0);
        var store = new RecordingLiveStore();
        var registry = new SiteLiveStatusRegistry(store);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new TelemetryIngestOptions();
        using var writer = new SiteLiveStatusWriter(
            registry, new IngestMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), registry),
            Options.Create(options), clock, NullLogger<SiteLiveStatusWriter>.Instance, store);

        // A power cut: telemetry, the event and more telemetry from site A, telemetry from site B, before the writer runs.
        registry.Record(new SiteLiveRecord("site-a") { Online = true, OnlineAt = T0, Power = "mains", PowerAt = T0, LastSeen = T0 });
        registry.Record(new SiteLiveRecord("site-a") { Power = "battery", PowerAt = T0.AddMilliseconds(300), LastSeq = 4, SeqAt = T0.AddMilliseconds(300), LastSeen = T0.AddMilliseconds(300) });
        registry.Record(new SiteLiveRecord("site-a") { Wan = "down", WanAt = T0.AddMilliseconds(600), LastSeen = T0.AddMilliseconds(600) });
        registry.Record(new SiteLiveRecord("site-b") { Online = true, OnlineAt = T0, LastSeen = T0 });
        var timers = clock.TimersCreated;
        await writer.StartAsync(CancellationToken.None);

        await store.Changes.UntilAsync(() => store.Batches.Count == 1, "the first write");
        var first = store.Batches[0];
        Assert.Equal(["site-a", "site-b"], first.Select(r => r.SiteId).Order(StringComparer.Ordinal));
        Assert.Equal(
            new SiteLiveStatus { SiteId = "site-a", Online = true, Power = "battery", Wan = "down", LastSeq = 4, LastSeen = T0.AddMilliseconds(600) },
            first.Single(r => r.SiteId == "site-a").ToStatus());

        // The writer now waits LiveFlush: two more changes of site A meanwhile are not written yet, then as one row.
        await clock.WaitForTimersAsync(timers + 1, Wait.DefaultBound);
        registry.Record(new SiteLiveRecord("site-a") { Wan = "up", WanAt = T0.AddSeconds(1), LastSeen = T0.AddSeconds(1) });
        registry.Record(new SiteLiveRecord("site-a") { Power = "mains", PowerAt = T0.AddSeconds(1.2), LastSeen = T0.AddSeconds(1.2) });
        Assert.Single(store.Batches);
        clock.Advance(options.LiveFlush);

        await store.Changes.UntilAsync(() => store.Batches.Count == 2, "the second write");
        var second = Assert.Single(store.Batches[1]);
        Assert.Equal(("up", "mains", T0.AddSeconds(1.2)), (second.Wan, second.Power, second.LastSeen));
        Assert.Equal(0, registry.PendingCount);
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_write_is_kept_under_newer_changes_and_written_again()
    {
        var clock = new WaiterAwareClock(T0);
        var store = new RecordingLiveStore { FailNext = true };
        var registry = new SiteLiveStatusRegistry(store);
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = new TelemetryIngestOptions();
        using var writer = new SiteLiveStatusWriter(
            registry, new IngestMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), registry),
            Options.Create(options), clock, NullLogger<SiteLiveStatusWriter>.Instance, store);
        registry.Record(new SiteLiveRecord("site-a") { Power = "battery", PowerAt = T0, Version = "2.0.1", VersionAt = T0, LastSeen = T0 });
        var timers = clock.TimersCreated;
        await writer.StartAsync(CancellationToken.None);

        await clock.WaitForTimersAsync(timers + 1, Wait.DefaultBound); // the failed write is behind it
        Assert.Empty(store.Batches);
        registry.Record(new SiteLiveRecord("site-a") { Power = "mains", PowerAt = T0.AddSeconds(1), LastSeen = T0.AddSeconds(1) });
        clock.Advance(options.LiveFlush);

        await store.Changes.UntilAsync(() => store.Batches.Count == 1, "the write after the failure");
        var row = Assert.Single(store.Batches[0]);
        Assert.Equal(("mains", "2.0.1", T0.AddSeconds(1)), (row.Power, row.Version, row.LastSeen));
        await writer.StopAsync(CancellationToken.None);
    }

    private sealed class RecordingLiveStore : ISiteLiveStatusStore
    {
        private readonly List<IReadOnlyList<SiteLiveRecord>> _batches = [];

        public Changes Changes { get; } = new();

        public bool FailNext { get; set; }

        public IReadOnlyList<IReadOnlyList<SiteLiveRecord>> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public Task SaveAsync(IReadOnlyCollection<SiteLiveRecord> changes, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database down");
            }

            lock (_batches)
            {
                _batches.Add([.. changes]);
            }

            Changes.Notify();
            return Task.CompletedTask;
        }

        public Task<SiteLiveRecord?> LoadAsync(string siteId, CancellationToken cancellationToken) => Task.FromResult<SiteLiveRecord?>(null);
    }
}
