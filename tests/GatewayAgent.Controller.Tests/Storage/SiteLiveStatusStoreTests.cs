using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>
/// The shared live-status row (site_live_status): nodes write what each learned in any order and the row merges per
/// field, newest wins, on both backends.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class SiteLiveStatusStoreTests(PostgresCluster cluster)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> All => Backends.All;

    [Theory]
    [MemberData(nameof(All))]
    public async Task Writes_in_either_order_leave_each_field_at_its_newest_change(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var store = harness.Services.GetRequiredService<ISiteLiveStatusStore>();
        var nodeA = new SiteLiveRecord("site-a")
        {
            Online = true, OnlineAt = T0, Power = "mains", PowerAt = T0, BatteryPercent = 97.5, BatteryAt = T0, Wan = "up", WanAt = T0,
            Version = "2.0.1", VersionAt = T0, LastSeen = T0,
        };
        var nodeB = new SiteLiveRecord("site-a") { Power = "battery", PowerAt = T0.AddSeconds(3), LastSeq = 9, SeqAt = T0.AddSeconds(3), LastSeen = T0.AddSeconds(3) };
        var staleC = new SiteLiveRecord("site-a") { Online = false, OnlineAt = T0.AddSeconds(-10), Wan = "down", WanAt = T0.AddSeconds(-10), LastSeen = T0.AddSeconds(-10) };

        await store.SaveAsync([nodeB], CancellationToken.None);
        await store.SaveAsync([staleC], CancellationToken.None);
        await store.SaveAsync([nodeA], CancellationToken.None);
        await store.SaveAsync([new SiteLiveRecord("site-b") { Online = true, OnlineAt = T0, LastSeen = T0 }], CancellationToken.None);

        var row = await store.LoadAsync("site-a", CancellationToken.None);

        Assert.NotNull(row);
        Assert.Equal(nodeA.Merge(nodeB).Merge(staleC), row);
        Assert.Equal(
            new SiteLiveStatus { SiteId = "site-a", Online = true, Power = "battery", BatteryPercent = 97.5, Wan = "up", Version = "2.0.1", LastSeq = 9, LastSeen = T0.AddSeconds(3) },
            row.ToStatus());
        Assert.Null(await store.LoadAsync("site-c", CancellationToken.None));
    }
}
