using System.Data.Common;

namespace GatewayAgent.Controller.Storage;

/// <summary>What differs between SQLite and PostgreSQL: connections, identity columns, row locks, migration locks.</summary>
public abstract class SqlDialect
{
    public abstract StorageProvider Provider { get; }

    /// <summary>Column definition of an auto-increment 64-bit primary key (replaces <c>{identity}</c> in migrations).</summary>
    public abstract string IdentityColumn { get; }

    /// <summary>Suffix that locks the selected rows for the transaction ("" where the whole database is locked anyway).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Suffix that locks the selected rows and skips rows another transaction holds ("" where writers are serialised anyway).</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>Opens a connection ready for use (pragmas applied).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a write transaction (SQLite: BEGIN IMMEDIATE, so the writer lock is taken up front).</summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Serialises schema migrations across processes inside <paramref name="transaction"/>.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>One-time database preparation before migrations (SQLite: WAL journal).</summary>
    public abstract Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Replaces dialect tokens in migration SQL.</summary>
    public string Render(string sql) => sql.Replace("{identity}", IdentityColumn, StringComparison.Ordinal);
}
