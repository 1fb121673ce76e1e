using System.Net;
using System.Net.Http.Json;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// Issue 11: the settings site's changes (written through the store with a <see cref="SettingsWrite"/>, as the site's
/// pages do) are read by operators at GET /api/contracts/{id}/audit, newest first, paged with ?limit= and ?before=, the
/// detail masked for a read key (issue 12 item 7). A stale version writes nothing and records nothing (SS-11).
/// </summary>
[Trait("Ring", "integration")]
public sealed class SettingsAuditApiTests : IDisposable
{
    private const string ReadKey = "read-key-0123456789abcdef";

    private readonly ControllerApiFactory _factory = new();

    public SettingsAuditApiTests()
    {
        _factory.Settings["Controller:Api:NamedKeys:1:Name"] = "dashboard";
        _factory.Settings["Controller:Api:NamedKeys:1:Key"] = ReadKey;
        _factory.Settings["Controller:Api:NamedKeys:1:Role"] = "read";
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_sites_changes_are_read_page_by_page_newest_first_with_the_detail_masked_for_a_read_key()
    {
        using var operate = _factory.CreateOperatorClient();
        var created = (await (await operate.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), ContractSamples.Monitored("06301")))
            .Content.ReadFromJsonAsync<ContractRecord>())!;
        var store = _factory.Services.GetRequiredService<ContractStore>();
        var version = created.RowVersion;
        foreach (var destination in new[] { "09011110001", "09011110002", "09011110003" })
        {
            var saved = await store.SetDestinationAsync(
                created.Id, "0630145679", destination, new SettingsWrite(version, "0630145678", "destination.set", "0630145679", (_, after) => $"-> {destination}"),
                CancellationToken.None);
            Assert.True(saved!.RowVersion > version);
            version = saved.RowVersion;
        }

        var started = await _factory.Services.GetRequiredService<ForwardingSwitch>().StartAsync(
            created.Id, new SettingsWrite(version, "0630145678", "forwarding.started", "forwarding"), CancellationToken.None);
        Assert.True(started!.Forwarding.On);
        await Assert.ThrowsAsync<StaleSettingsException>(() => store.SetDestinationAsync( // a form of an older version
            created.Id, "0630145679", "09099999999", new SettingsWrite(version, "0630145678", "destination.set"), CancellationToken.None));

        var first = (await operate.GetFromJsonAsync<SettingsAuditPage>(new Uri($"/api/contracts/{created.Id}/audit?limit=3", UriKind.Relative)))!;
        Assert.Equal(["forwarding.started", "destination.set", "destination.set"], first.Entries.Select(e => e.Action));
        Assert.Equal(["0630145678"], first.Entries.Select(e => e.Actor).Distinct());
        Assert.Equal("-> 09011110003", first.Entries[1].Detail);
        Assert.Equal(_factory.Time.GetUtcNow(), first.Entries[0].At);
        var second = (await operate.GetFromJsonAsync<SettingsAuditPage>(
            new Uri($"/api/contracts/{created.Id}/audit?limit=3&before={first.NextBefore}", UriKind.Relative)))!;
        Assert.Equal(["-> 09011110001"], second.Entries.Select(e => e.Detail));
        Assert.Null(second.NextBefore);

        using var read = _factory.CreateClient();
        read.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
        var masked = (await read.GetFromJsonAsync<SettingsAuditPage>(new Uri($"/api/contracts/{created.Id}/audit", UriKind.Relative)))!;
        Assert.Equal(4, masked.Entries.Count);
        Assert.All(masked.Entries.Where(e => e.Detail is not null), e => Assert.Equal("***", e.Detail));
        Assert.Equal(first.Entries.Select(e => (e.Actor, e.Action, e.Target)), masked.Entries.Take(3).Select(e => (e.Actor, e.Action, e.Target)));
        Assert.Equal(HttpStatusCode.NotFound, (await read.GetAsync(new Uri("/api/contracts/999/audit", UriKind.Relative))).StatusCode);
    }
}
