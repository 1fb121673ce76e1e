using System.Data.Common;
using System.Net;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Controller.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GatewayAgent.Controller.Tests;

/// <summary>
/// Issue 12 item 9: /healthz is unhealthy when writes fail or a write has waited too long for its commit, not only when
/// SELECT 1 fails; the failures are counted. The real host on a real SQLite file; a real database error (a statement
/// SQLite refuses) through the one write path every part of the controller uses.
/// </summary>
[Trait("Ring", "integration")]
public sealed class WriteHealthTests
{
    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failing_write_makes_healthz_unhealthy_until_a_write_commits_again_and_is_counted()
    {
        using var factory = new ControllerApiFactory();
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await HealthAsync(client)).Status);
        var database = factory.Services.GetRequiredService<ControllerDatabase>();
        var health = factory.Services.GetRequiredService<WriteHealth>();

        await Assert.ThrowsAnyAsync<DbException>(() => database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, "INSERT INTO no_such_table (x) VALUES (1)");
                return await command.ExecuteNonQueryAsync();
            },
            CancellationToken.None));

        var (status, body) = await HealthAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("database writes failing: ", body, StringComparison.Ordinal);
        Assert.Equal(1, health.FailureTotal);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("gateway_controller_write_failures_total{area=\"database\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_controller_write_failures_total{area=\"ingest\"} 0\n", metrics, StringComparison.Ordinal);

        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand(transaction, "SELECT 1");
            return await command.ExecuteNonQueryAsync();
        }, CancellationToken.None);
        Assert.Equal((HttpStatusCode.OK, "ok"), await HealthAsync(client));
    }

    [Fact]
    public async Task A_write_waiting_longer_than_MaxCommitAge_makes_the_health_check_fail_until_it_commits()
    {
        var directory = Directory.CreateTempSubdirectory("write-health-");
        try
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
            var health = new WriteHealth(time, Options.Create(new StorageOptions()));
            using var database = new ControllerDatabase(new SqliteDialect(Path.Combine(directory.FullName, "c.db"), TimeSpan.FromSeconds(1)), health);
            var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // A write that does not finish (a lock held elsewhere, a disk that blocks); a second one queues behind it.
            var stuck = database.WriteAsync(async (_, _) =>
            {
                inside.TrySetResult();
                await release.Task;
                return 0;
            }, CancellationToken.None);
            await inside.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var queued = database.WriteAsync((_, _) => Task.FromResult(0), CancellationToken.None);

            time.Advance(TimeSpan.FromSeconds(60));
            Assert.Null(health.Problem());
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal("no commit for 61 s while a write waits (limit 60 s)", health.Problem());

            release.TrySetResult();
            await stuck;
            await queued;
            Assert.Null(health.Problem());
            Assert.Equal(TimeSpan.Zero, health.LastCommitAge);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}
