using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Storage;

[Collection(StorageCollection.Name)]
[Trait("Ring", "integration")]
public class StorageTests(PostgresCluster cluster)
{
    public static TheoryData<string> Backends => Storage.Backends.All;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Migrations_are_recorded_and_a_rerun_applies_nothing(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);

        Assert.Equal(0, await harness.MigrateAsync());
        await harness.RestartAsync();
        Assert.Equal(0, await harness.MigrateAsync());

        var versions = await harness.Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT version FROM schema_migrations ORDER BY version");
                await using var reader = await command.ExecuteReaderAsync();
                var list = new List<long>();
                while (await reader.ReadAsync())
                {
                    list.Add(reader.Long(0));
                }

                return list;
            },
            CancellationToken.None);
        Assert.Equal(SchemaMigrations.All.Select(m => (long)m.Version), versions);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_database_newer_than_the_controller_is_refused(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var migrator = harness.Services.GetRequiredService<SchemaMigrator>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => migrator.MigrateAsync(SchemaMigrations.All.Take(2).ToList(), CancellationToken.None));
        Assert.Contains($"schema version {SchemaMigrations.All[^1].Version}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Contracts_round_trip_and_survive_a_restart(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored() with { ProbeInterval = TimeSpan.FromSeconds(30) }, CancellationToken.None);

        await harness.RestartAsync();
        var stored = await harness.Contracts.GetAsync(created.Id, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal("0312345678", stored.ContractNumber);
        Assert.Equal(["0312345679", "0312345670"], stored.AdditionalNumbers);
        Assert.Equal("sip:0312345670@192.0.2.10:5060", stored.ProbeTarget); // user part filled with the monitoring number
        Assert.Equal(
            [new DestinationEntry("0312345678", "09012345678"), new DestinationEntry("0312345679", "0667891234")],
            stored.Destinations);
        Assert.Equal(3, stored.Notification.Recipients.Count);
        Assert.False(stored.Notification.Recipients[2].Send);
        Assert.Equal("株式会社テスト", stored.Notification.HolderName);
        Assert.True(stored.HasSitePassword);
        Assert.Equal(TimeSpan.FromSeconds(30), stored.ProbeInterval);

        var targets = await harness.Services.GetRequiredService<IProbeTargetSource>().GetTargetsAsync(CancellationToken.None);
        Assert.Equal(
            new ProbeTarget(created.Id, "sip:0312345670@192.0.2.10:5060", "0312345670", null, TimeSpan.FromSeconds(30), "site-03123"),
            Assert.Single(targets));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Every_committed_contract_change_tells_the_prober_and_nothing_else_does(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster, configure: s => s.AddSingleton<ProbeTargetsChanged>());
        var notices = 0;
        harness.Services.GetRequiredService<ProbeTargetsChanged>().Changed += () => Interlocked.Increment(ref notices);

        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        Assert.Equal(1, notices);
        await harness.Contracts.CreateAsync(ContractSamples.Monitored("04123"), CancellationToken.None);
        Assert.Equal(2, notices);

        await harness.Contracts.UpdateAsync(created.Id, d => d with { Notification = d.Notification with { ServiceOn = false } }, CancellationToken.None); // FN-14: no longer probed
        Assert.Equal(3, notices);
        await Assert.ThrowsAsync<ContractRuleException>(() => harness.Contracts.UpdateAsync(
            created.Id, d => d with { AdditionalNumbers = [.. d.AdditionalNumbers, "0412345678"] }, CancellationToken.None));
        Assert.Equal(3, notices); // rolled back: nothing changed
        Assert.Null(await harness.Contracts.UpdateAsync(99_999, d => d, CancellationToken.None));
        Assert.False(await harness.Contracts.DeleteAsync(99_999, CancellationToken.None));
        Assert.Equal(3, notices);

        Assert.True(await harness.Contracts.DeleteAsync(created.Id, CancellationToken.None));
        Assert.Equal(4, notices);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_rejected_update_changes_nothing(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        await harness.Contracts.CreateAsync(ContractSamples.Monitored("04123"), CancellationToken.None);

        // A number of the other contract: the uniqueness check runs after the update began, and rolls it back.
        await Assert.ThrowsAsync<ContractRuleException>(() => harness.Contracts.UpdateAsync(
            created.Id, d => d with { Channels = 9, AdditionalNumbers = [.. d.AdditionalNumbers, "0412345678"] }, CancellationToken.None));

        var stored = await harness.Contracts.GetAsync(created.Id, CancellationToken.None);
        Assert.Equal(4, stored!.Channels);
        Assert.Equal(2, stored.AdditionalNumbers.Count);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Site_directory_checks_the_hashed_password(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var sites = harness.Services.GetRequiredService<ISiteDirectory>();

        Assert.True(await sites.AuthenticateAsync("site-03123", "site-password-1", CancellationToken.None));
        Assert.False(await sites.AuthenticateAsync("site-03123", "site-password-2", CancellationToken.None));
        Assert.False(await sites.AuthenticateAsync("site-unknown", "site-password-1", CancellationToken.None));
        Assert.Equal(created.Id, await sites.FindContractAsync("site-03123", CancellationToken.None));
        Assert.Null(await sites.FindContractAsync("site-unknown", CancellationToken.None));

        var hash = await harness.Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT site_password_hash FROM contracts");
                return (string)(await command.ExecuteScalarAsync())!;
            },
            CancellationToken.None);
        Assert.StartsWith("pbkdf2-sha256$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("site-password-1", hash, StringComparison.Ordinal);

        // An update without a new password keeps the stored one.
        await harness.Contracts.UpdateAsync(created.Id, d => d with { Channels = 2 }, CancellationToken.None);
        Assert.True(await sites.AuthenticateAsync("site-03123", "site-password-1", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Outbox_hands_out_due_mails_and_records_attempts(string backend)
    {
        await using var harness = await ControllerHarness.CreateAsync(backend, cluster);
        var created = await harness.Contracts.CreateAsync(ContractSamples.Monitored(), CancellationToken.None);
        var outbox = harness.Outbox;
        var now = harness.Time.GetUtcNow();
        var first = await outbox.EnqueueAsync(created.Id, MailKind.Test, "a@example.jp", new ComposedMail("s1", "b1"), now, CancellationToken.None);
        var second = await outbox.EnqueueAsync(null, MailKind.Test, "b@example.jp", new ComposedMail("s2", "b2"), now, CancellationToken.None);
        Assert.Equal(2, await outbox.CountPendingAsync(CancellationToken.None));

        const string Node = "node-a";
        var lease = now.AddSeconds(30);
        Assert.Equal([first, second], (await outbox.ClaimDueAsync(Node, now, lease, 10, CancellationToken.None)).Select(m => m.Id));
        Assert.True((await outbox.MarkAttemptFailedAsync(first, Node, now, "451 try later", now.AddMinutes(5), alertDue: false, CancellationToken.None)).Recorded);
        Assert.True(await outbox.ReleaseLeasesAsync(Node, CancellationToken.None) == 1); // second, claimed but not sent
        var due = await outbox.ClaimDueAsync(Node, now, lease, 10, CancellationToken.None);
        Assert.Equal([second], due.Select(m => m.Id));
        Assert.Equal(new OutboxMail(second, null, MailKind.Test, "b@example.jp", "s2", "b2", now, 0), due[0]);

        Assert.True((await outbox.MarkDeliveredAsync(second, Node, now, "250 ok", CancellationToken.None)) is { Recorded: true, LeaseHeld: true });
        var later = await outbox.ClaimDueAsync(Node, now.AddMinutes(5), now.AddMinutes(6), 10, CancellationToken.None);
        Assert.Equal([(first, 1)], later.Select(m => (m.Id, m.Attempts)));

        Assert.True((await outbox.MarkAttemptFailedAsync(first, Node, now.AddMinutes(5), "550 no such user", null, alertDue: false, CancellationToken.None)).Recorded);
        Assert.Empty(await outbox.ClaimDueAsync(Node, now.AddDays(1), now.AddDays(2), 10, CancellationToken.None));
        Assert.Equal(0, await outbox.CountPendingAsync(CancellationToken.None));

        var entry = Assert.Single(await outbox.ListForContractAsync(created.Id, 10, CancellationToken.None));
        Assert.Equal((OutboxStatus.Failed, 2, "550 no such user"), (entry.Status, entry.Attempts, entry.LastError));
    }

    [PostgresFact]
    public async Task Two_controllers_migrating_one_postgres_database_at_once_apply_each_step_once()
    {
        var connectionString = await cluster.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Controller:Storage:Provider"] = "postgres", ["ConnectionStrings:Controller"] = connectionString };
        await using var first = await ControllerHarness.CreateAsync(Storage.Backends.Sqlite, cluster, settings, migrate: false);
        await using var second = await ControllerHarness.CreateAsync(Storage.Backends.Sqlite, cluster, settings, migrate: false);
        await using var third = await ControllerHarness.CreateAsync(Storage.Backends.Sqlite, cluster, settings, migrate: false);

        // Three controllers start at once on an empty database: the advisory lock lets each step run exactly once.
        var results = await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync(), third.MigrateAsync());
        Assert.Equal(SchemaMigrations.All.Count, results.Sum());
        Assert.Equal(StorageProvider.Postgres, first.Database.Dialect.Provider);
        var count = await first.Database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT COUNT(*) FROM schema_migrations");
                return await command.ScalarLongAsync(CancellationToken.None);
            },
            CancellationToken.None);
        Assert.Equal(SchemaMigrations.All.Count, count);
    }
}
