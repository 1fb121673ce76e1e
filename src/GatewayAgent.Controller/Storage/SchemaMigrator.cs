using System.Data.Common;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// Applies <see cref="SchemaMigrations.All"/> in order, each step in its own transaction together with its
/// schema_migrations row, so a crash never leaves a step half applied and a re-run applies nothing twice.
/// </summary>
public sealed class SchemaMigrator(ControllerDatabase database, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    public async Task<int> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version <= migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Migration versions must increase: {migrations[i - 1].Version} then {migrations[i].Version}.");
            }
        }

        var dialect = database.Dialect;
        await dialect.PrepareAsync(cancellationToken);
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                // Under the lock too: concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL's catalog.
                await dialect.LockForMigrationAsync(connection, transaction, cancellationToken);
                await using var create = connection.CreateCommand(
                    transaction,
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
                return await create.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

        var known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var applied = 0;
        foreach (var migration in migrations)
        {
            var ran = await database.WriteAsync(
                async (connection, transaction) =>
                {
                    await dialect.LockForMigrationAsync(connection, transaction, cancellationToken);
                    var highest = await HighestAppliedAsync(connection, transaction, cancellationToken);
                    if (highest > known)
                    {
                        throw new InvalidOperationException(
                            $"The database has schema version {highest} but this controller knows only up to {known}: refusing to run an older controller on a newer database.");
                    }

                    await using (var exists = connection.CreateCommand(transaction, "SELECT COUNT(*) FROM schema_migrations WHERE version = @v"))
                    {
                        exists.AddParameter("@v", (long)migration.Version);
                        if (await exists.ScalarLongAsync(cancellationToken) > 0)
                        {
                            return false;
                        }
                    }

                    await using (var step = connection.CreateCommand(transaction, migration.SqlFor(dialect)))
                    {
                        await step.ExecuteNonQueryAsync(cancellationToken);
                    }

                    await using var record = connection.CreateCommand(
                        transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)");
                    record.AddParameter("@v", (long)migration.Version).AddParameter("@n", migration.Name).AddParameter("@t", time.GetUtcNow());
                    await record.ExecuteNonQueryAsync(cancellationToken);
                    return true;
                },
                cancellationToken);
            if (ran)
            {
                applied++;
                Log.MigrationApplied(logger, migration.Version, migration.Name, dialect.Provider);
            }
        }

        Log.SchemaReady(logger, known, applied, dialect.Provider);
        return applied;
    }

    private static async Task<long> HighestAppliedAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT MAX(version) FROM schema_migrations");
        return await command.ScalarLongAsync(cancellationToken) ?? 0;
    }
}
