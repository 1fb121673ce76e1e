using GatewayAgent.Controller.Routing;
using GatewayAgent.Controller.Tests.Storage;

namespace GatewayAgent.Controller.Tests.Routing;

/// <summary>
/// The edge views (migration 6) in both backends: what kamailio loads and the pusher pushes (docs/routing.md, "The
/// routing table"), and the registration digest the store keeps.
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public sealed class EdgeViewTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task TheViews_HoldEveryNumber_TheContract_AndTheSitesDigest(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var views = new EdgeViews(harness.Database);

        var rows = await views.ReadAsync([contract.Id], CancellationToken.None);

        string? Value(EdgeTable table, string key) => rows.SingleOrDefault(r => r.Table == table && r.Key == key).Value;
        var id = contract.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{id}|09012345678|0", Value(EdgeTable.Numbers, "0312345678"));
        Assert.Equal($"{id}|0667891234|0", Value(EdgeTable.Numbers, "0312345679"));
        Assert.Equal($"{id}||1", Value(EdgeTable.Numbers, "0312345670"));
        Assert.Equal("0|4|0|site-03123|sip:0312345670@192.0.2.10:5060", Value(EdgeTable.Contracts, id));
        Assert.Equal(RegistrationDigest.Ha1("site-03123", "gateway.edge", "site-password-1"), Value(EdgeTable.Subscribers, "site-03123"));
        Assert.Equal(rows.Count, (await views.ReadAllAsync(CancellationToken.None)).Count);

        await harness.Switch.StartAsync(contract.Id, "tester", null, CancellationToken.None);
        rows = await views.ReadAsync([contract.Id], CancellationToken.None);
        Assert.StartsWith("1|4|", Value(EdgeTable.Contracts, id), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task TheDigest_SurvivesAnUpdateWithoutPassword_AndNotASiteIdChange(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var contract = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var views = new EdgeViews(harness.Database);
        async Task<string?> DigestAsync() =>
            (await views.ReadAsync([contract.Id], CancellationToken.None)).Where(r => r.Table == EdgeTable.Subscribers).Select(r => r.Value).SingleOrDefault();

        await harness.Contracts.UpdateAsync(contract.Id, d => d with { Channels = 6 }, CancellationToken.None);
        Assert.Equal(RegistrationDigest.Ha1("site-03123", "gateway.edge", "site-password-1"), await DigestAsync());

        await harness.Contracts.UpdateAsync(contract.Id, d => d with { SiteId = "site-renamed" }, CancellationToken.None);
        Assert.Null(await DigestAsync());

        await harness.Contracts.UpdateAsync(contract.Id, d => d with { SitePassword = "site-password-2" }, CancellationToken.None);
        Assert.Equal(RegistrationDigest.Ha1("site-renamed", "gateway.edge", "site-password-2"), await DigestAsync());
    }
}
