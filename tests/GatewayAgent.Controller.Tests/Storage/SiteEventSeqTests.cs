using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Storage;

/// <summary>
/// Issue 14: the seqs a site's events are stored under, read by a node that saw a jump in them (another node may have
/// received the events in between). Real SQLite (and PostgreSQL when installed).
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class SiteEventSeqTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_stored_seqs_between_two_are_counted_once_each_for_that_site_only(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var log = harness.Services.GetRequiredService<ISiteEventLog>();
        var now = harness.Time.GetUtcNow();
        foreach (var (site, id, seq) in new[] { ("site-a", "a1", 1L), ("site-a", "a2", 2L), ("site-a", "a2-again", 2L), ("site-a", "a5", 5L), ("site-b", "b3", 3L) })
        {
            await log.TryAddAsync(site, new AgentEvent { Id = id, Seq = seq, Ts = now, Type = EventTypes.PowerLost }, now, CancellationToken.None);
        }

        Assert.Equal(2, await log.CountStoredSeqsAsync("site-a", 1, 6, CancellationToken.None)); // 2 (twice) and 5; not 1 or 6
        Assert.Equal(0, await log.CountStoredSeqsAsync("site-a", 2, 5, CancellationToken.None)); // 3 and 4 are site-b's or nobody's
        Assert.Equal(1, await log.CountStoredSeqsAsync("site-b", 0, 10, CancellationToken.None));
        Assert.Equal(0, await log.CountStoredSeqsAsync("site-c", 0, 10, CancellationToken.None));
    }
}
