using GatewayAgent.Contracts;
using GatewayAgent.Status;
using GatewayAgent.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>The disk spool on real files with a fake clock: ordering, acknowledged cursor, restart, bounds.</summary>
[Trait("Ring", "integration")]
public sealed class EventSpoolTests
{
    private static readonly SpoolLimits Roomy = new(1024 * 1024, TimeSpan.FromDays(7), TimeSpan.FromSeconds(1), SegmentBytes: 4096);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));

    private EventSpool Open(string dir, SpoolLimits? limits = null) => EventSpool.Open(dir, limits ?? Roomy, _time, NullLogger.Instance);

    private AgentEventNotice Notice(string type = EventTypes.ProbeAnswered, string? detail = null) => new(type, _time.GetUtcNow(), detail);

    private static List<SpoolEntry> LeaseAll(EventSpool spool)
    {
        var leased = new List<SpoolEntry>();
        while (spool.TryLease(out var e))
        {
            leased.Add(e);
        }

        return leased;
    }

    [Fact]
    public void Leases_PriorityFirst_ThenSeqOrder()
    {
        using var dir = new TempDirectory();
        using var spool = Open(dir.Path);
        spool.Append(Notice(), -1, durable: false, priority: false);
        spool.Append(Notice(), -1, durable: false, priority: false);
        spool.Append(Notice(EventTypes.PowerLost), -1, durable: true, priority: true);

        Assert.Equal([3L, 1L, 2L], LeaseAll(spool).Select(e => e.Seq));
    }

    [Fact]
    public void Restart_ReplaysOnlyUnacknowledged_AndContinuesSeq()
    {
        using var dir = new TempDirectory();
        using (var spool = Open(dir.Path))
        {
            for (var i = 0; i < 100; i++)
            {
                spool.Append(Notice(detail: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 1, durable: false, priority: false);
            }

            spool.Append(Notice(EventTypes.PowerLost), 1, durable: true, priority: true);
            var leased = LeaseAll(spool);
            // power.lost (101) and the first 40 were acknowledged; 41..100 were not.
            foreach (var e in leased.Where(e => e.Seq == 101 || e.Seq <= 40))
            {
                spool.Acknowledge(e.Seq);
            }
        }

        using var reopened = Open(dir.Path);
        Assert.Equal(60, reopened.Depth);
        Assert.Equal(102, reopened.NextSeq);
        var replay = LeaseAll(reopened);
        Assert.Equal(Enumerable.Range(41, 60).Select(i => (long)i), replay.Select(e => e.Seq));
        Assert.All(replay, e => Assert.Equal(-1, e.Epoch));
        Assert.Equal("40", replay[0].Event.Detail);
    }

    [Fact]
    public void DeliveredSegments_AreDeleted_AndSeqSurvivesAnEmptySpool()
    {
        using var dir = new TempDirectory();
        using (var spool = Open(dir.Path))
        {
            for (var i = 0; i < 200; i++)
            {
                spool.Append(Notice(), 1, durable: false, priority: false);
            }

            Assert.True(Directory.GetFiles(dir.Path, "*.seg").Length > 2, "several 4 KiB segments");
            foreach (var e in LeaseAll(spool))
            {
                spool.Acknowledge(e.Seq);
            }

            spool.Flush();
            Assert.Single(Directory.GetFiles(dir.Path, "*.seg")); // only the one being written
        }

        using var reopened = Open(dir.Path);
        Assert.Equal(0, reopened.Depth);
        Assert.Equal(201, reopened.NextSeq);
    }

    [Fact]
    public void TornLastRecord_IsSkipped_EarlierRecordsKept()
    {
        using var dir = new TempDirectory();
        using (var spool = Open(dir.Path))
        {
            spool.Append(Notice(), -1, durable: true, priority: false);
            spool.Append(Notice(), -1, durable: true, priority: false);
        }

        var segment = Directory.GetFiles(dir.Path, "*.seg").Single();
        File.AppendAllText(segment, "{\"id\":\"abc\",\"seq\":3,\"ts\":\"2026-"); // power cut mid-write

        using var reopened = Open(dir.Path);
        Assert.Equal(2, reopened.Depth);
        Assert.Equal(3, reopened.NextSeq);
    }

    [Fact]
    public void SizeBound_DropsOldestUndelivered_AndCountsThem()
    {
        using var dir = new TempDirectory();
        var limits = new SpoolLimits(64 * 1024, TimeSpan.FromDays(7), TimeSpan.FromSeconds(1));
        using var spool = Open(dir.Path, limits);
        for (var i = 0; i < 2000; i++)
        {
            spool.Append(Notice(), -1, durable: false, priority: false);
        }

        Assert.True(spool.PendingBytes <= limits.MaxBytes, $"{spool.PendingBytes} bytes kept");
        Assert.True(spool.Dropped > 0);
        Assert.Equal(2000, spool.Depth + spool.Dropped);
        // What is kept is the newest.
        var kept = LeaseAll(spool);
        Assert.Equal(2000, kept[^1].Seq);
        Assert.Equal(spool.Dropped + 1, kept[0].Seq);
    }

    [Fact]
    public void AgeBound_DropsEventsOlderThanMaxAge_OnTheClock()
    {
        using var dir = new TempDirectory();
        var limits = new SpoolLimits(1024 * 1024, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1));
        using var spool = Open(dir.Path, limits);
        spool.Append(Notice(), -1, durable: false, priority: false);
        _time.Advance(TimeSpan.FromMinutes(40));
        spool.Append(Notice(), -1, durable: false, priority: false);

        _time.Advance(TimeSpan.FromMinutes(19));
        spool.EnforceBoundsNow();
        Assert.Equal(2, spool.Depth);

        _time.Advance(TimeSpan.FromMinutes(2)); // the first is now 61 minutes old
        spool.EnforceBoundsNow();
        Assert.Equal(1, spool.Depth);
        Assert.Equal(1, spool.Dropped);
        Assert.True(spool.TryLease(out var left));
        Assert.Equal(2, left.Seq);
    }

    [Fact]
    public void AgeBound_AppliesToWhatARestartFinds()
    {
        using var dir = new TempDirectory();
        using (var spool = Open(dir.Path))
        {
            spool.Append(Notice(), -1, durable: true, priority: false);
        }

        _time.Advance(TimeSpan.FromDays(8));
        using var reopened = Open(dir.Path);
        Assert.Equal(0, reopened.Depth);
        Assert.Equal(1, reopened.Dropped);
        Assert.Equal(2, reopened.NextSeq);
    }

    [Fact]
    public void BatchedFsync_RunsOnTheFlushTimer()
    {
        using var dir = new TempDirectory();
        using (var spool = Open(dir.Path))
        {
            spool.Append(Notice(), 1, durable: false, priority: false);
            Assert.True(spool.TryLease(out var e));
            spool.Acknowledge(e.Seq);
            Assert.False(File.Exists(Path.Combine(dir.Path, "cursor.json.tmp")));
            var before = File.ReadAllText(Path.Combine(dir.Path, "cursor.json"));
            _time.Advance(TimeSpan.FromSeconds(1)); // the batched flush writes the cursor
            Assert.NotEqual(before, File.ReadAllText(Path.Combine(dir.Path, "cursor.json")));
        }
    }

    [Fact]
    public void ReleasedLease_IsHandedOutAgain()
    {
        using var dir = new TempDirectory();
        using var spool = Open(dir.Path);
        spool.Append(Notice(), 1, durable: false, priority: false);
        Assert.True(spool.TryLease(out var first));
        Assert.False(spool.TryLease(out _));
        spool.ReleaseAll();
        Assert.True(spool.TryLease(out var again));
        Assert.Equal(first.Seq, again.Seq);
    }
}
