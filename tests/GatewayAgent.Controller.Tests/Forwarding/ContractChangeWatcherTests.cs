using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Routing;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Forwarding;

/// <summary>
/// Issue 11: a start of bulk forward (BF-4) or a destination set on the settings site — another process on the same database —
/// reaches the controller's edge pusher, MQTT state and prober through <see cref="ContractChangeWatcher"/>, on every
/// storage backend (migration 10's row_version).
/// </summary>
[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public class ContractChangeWatcherTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_change_written_by_the_settings_site_reaches_the_controllers_edge_and_state(string backend)
    {
        await using var controller = await ControllerHarness.CreateAsync(
            backend, cluster, configure: services => services.AddSingleton<EdgeRoutingChanges>().AddSingleton<ContractChangeWatcher>());
        await using var site = await ControllerHarness.CreateAsync(backend, cluster, extra: controller.DatabaseSettings, migrate: false, time: controller.Time);
        var watcher = controller.Services.GetRequiredService<ContractChangeWatcher>();
        var edge = controller.Services.GetRequiredService<EdgeRoutingChanges>();
        var contract = await site.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        Assert.Empty(await watcher.CheckAsync(CancellationToken.None)); // the first pass only reads
        Assert.Empty(await watcher.CheckAsync(CancellationToken.None));

        var started = await site.Switch.StartAsync(contract.Id, new SettingsWrite(contract.RowVersion, "0312345678", "forwarding.started", "forwarding"), CancellationToken.None);

        Assert.Empty(controller.Publisher.Published); // the site's process cannot tell the controller's...
        Assert.Equal([contract.Id], await watcher.CheckAsync(CancellationToken.None)); // ...the watcher sees it
        Assert.True(controller.Publisher.Published[^1] is { Forwarding: true });
        Assert.Equal([contract.Id], edge.Take());
        await site.Contracts.SetDestinationAsync(
            contract.Id, "0312345679", "09011112222", new SettingsWrite(started!.RowVersion, "0312345678", "destination.set"), CancellationToken.None);
        Assert.Equal([contract.Id], await watcher.CheckAsync(CancellationToken.None));
        Assert.Empty(await watcher.CheckAsync(CancellationToken.None));
    }
}
