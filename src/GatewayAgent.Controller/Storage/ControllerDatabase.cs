using System.Data.Common;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// The controller's database: read work on a fresh pooled connection, write work in one transaction. SQLite allows
/// one writer at a time, so writers queue on an in-process gate (instead of spinning on SQLITE_BUSY); PostgreSQL
/// writers run concurrently and lock the rows they change (<see cref="SqlDialect.ForUpdate"/>).
/// Every write is reported to <see cref="WriteHealth"/> (commits, database errors, writes waiting) for /healthz and /metrics.
/// </summary>
public sealed class ControllerDatabase(SqlDialect dialect, WriteHealth? health = null) : IDisposable
{
    private readonly SemaphoreSlim _writerGate = new(1, 1);

    public SqlDialect Dialect => dialect;

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        return await work(connection);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: committed when it returns, rolled back when it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var tracked = health?.Begin() ?? 0;
        var gated = dialect.Provider == StorageProvider.Sqlite;
        var entered = false;
        try
        {
            if (gated)
            {
                await _writerGate.WaitAsync(cancellationToken);
                entered = true;
            }

            await using var connection = await dialect.OpenAsync(cancellationToken);
            await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            health?.Committed(tracked);
            return result;
        }
        catch (DbException ex)
        {
            health?.Failed(tracked, ex);
            throw;
        }
        finally
        {
            health?.Ended(tracked);
            if (entered)
            {
                _writerGate.Release();
            }
        }
    }

    /// <summary>True when a trivial query succeeds (for /healthz).</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(
                async connection =>
                {
                    await using var command = connection.CreateCommand(null, "SELECT 1");
                    return await command.ScalarLongAsync(cancellationToken) == 1;
                },
                cancellationToken);
        }
        catch (DbException)
        {
            return false;
        }
    }

    public void Dispose() => _writerGate.Dispose();
}
