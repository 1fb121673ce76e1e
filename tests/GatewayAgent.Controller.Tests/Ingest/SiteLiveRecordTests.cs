using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// Merging what several controller nodes learned of one site: per field the newest change wins, whatever order the
/// nodes' changes are merged in, so every node and the shared row end up with the same status.
/// </summary>
[Trait("Ring", "unit")]
public sealed class SiteLiveRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static readonly SiteLiveRecord Telemetry = new("site-a")
    {
        Online = true, OnlineAt = T0, Power = "mains", PowerAt = T0, BatteryPercent = 97, BatteryAt = T0, Wan = "up", WanAt = T0, LastSeen = T0,
    };

    private static readonly SiteLiveRecord PowerLost = new("site-a")
    {
        Power = "battery", PowerAt = T0.AddSeconds(2), LastSeq = 7, SeqAt = T0.AddSeconds(2), LastSeen = T0.AddSeconds(2),
    };

    private static readonly SiteLiveRecord Birth = new("site-a")
    {
        Online = true, OnlineAt = T0.AddSeconds(-5), Version = "2.0.1", VersionAt = T0.AddSeconds(-5), LastSeen = T0.AddSeconds(-5),
    };

    [Fact]
    public void Each_field_takes_its_newest_change_in_any_order()
    {
        var expected = new SiteLiveStatus
        {
            SiteId = "site-a", Online = true, Power = "battery", BatteryPercent = 97, Wan = "up", Version = "2.0.1", LastSeq = 7, LastSeen = T0.AddSeconds(2),
        };
        SiteLiveRecord[] changes = [Telemetry, PowerLost, Birth];

        foreach (var order in new[] { new[] { 0, 1, 2 }, [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0] })
        {
            var merged = order.Aggregate(new SiteLiveRecord("site-a"), (record, i) => record.Merge(changes[i]));
            Assert.Equal(expected, merged.ToStatus());
        }
    }

    [Fact]
    public void An_older_change_does_not_overwrite_and_a_field_a_change_did_not_set_is_kept()
    {
        var offline = new SiteLiveRecord("site-a") { Online = false, OnlineAt = T0.AddSeconds(1) };
        var staleTelemetry = Telemetry with { BatteryPercent = null, BatteryAt = null };

        var status = Telemetry.Merge(offline).Merge(staleTelemetry).ToStatus();

        Assert.False(status.Online);
        Assert.Equal(97, status.BatteryPercent);
        Assert.Equal(T0, status.LastSeen);
    }

    [Fact]
    public void A_change_as_new_as_the_record_wins_so_one_node_applies_its_messages_in_arrival_order()
    {
        var first = new SiteLiveRecord("site-a") { Wan = "down", WanAt = T0 };
        var second = new SiteLiveRecord("site-a") { Wan = "up", WanAt = T0 };

        Assert.Equal("up", first.Merge(second).Wan);
    }
}
