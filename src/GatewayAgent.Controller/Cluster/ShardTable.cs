using System.Data.Common;
using System.Globalization;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// The SQL of membership and ownership (tables cluster_nodes and cluster_shards, migration 12), PostgreSQL only. One
/// heartbeat is one transaction under a transaction-scoped advisory lock (so the nodes' heartbeats are serialised and
/// each plans on the table as the previous one left it, without a row lock per shard): the node's heartbeat row, the
/// shard table read, the <see cref="ShardPlanner"/>'s plan applied, and stale node rows pruned. The updates of a
/// claim wait for the share locks of a recorder's fence (<see cref="ShardLeaseFence"/>).
/// </summary>
public sealed class ShardTable(ControllerDatabase database)
{
    /// <summary>Fixed key of the advisory lock that serialises heartbeats and leaves (distinct from the migration lock).</summary>
    private const long HeartbeatLockKey = 0x6761_7465_636C_7573;

    /// <summary>Creates the shard rows on first use and returns how many the table holds.</summary>
    public Task<int> EnsureShardsAsync(int shards, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var lockTable = connection.CreateCommand(transaction, "LOCK TABLE cluster_shards IN SHARE ROW EXCLUSIVE MODE"))
                {
                    await lockTable.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var count = connection.CreateCommand(transaction, "SELECT COUNT(*) FROM cluster_shards");
                var existing = (int)(await count.ScalarLongAsync(cancellationToken) ?? 0);
                if (existing > 0)
                {
                    return existing;
                }

                await using var insert = connection.CreateCommand(transaction, """
                    INSERT INTO cluster_shards (shard, owner, epoch, lease_until) SELECT s, NULL, 0, 0 FROM generate_series(0, @last) AS s
                    """);
                insert.AddParameter("@last", (long)(shards - 1));
                await insert.ExecuteNonQueryAsync(cancellationToken);
                return shards;
            },
            cancellationToken);

    /// <summary>One heartbeat of <paramref name="node"/> at <paramref name="now"/>; returns the table as it was and the plan applied.</summary>
    public Task<HeartbeatResult> HeartbeatAsync(string node, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        HeartbeatAsync(node, healthy: true, now, lease, cancellationToken);

    /// <summary>One heartbeat, telling whether this node's prober is healthy (its canary answers, <see cref="ShardPlanner"/>).</summary>
    public Task<HeartbeatResult> HeartbeatAsync(string node, bool healthy, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await LockAsync(connection, transaction, cancellationToken);
                await using (var beat = connection.CreateCommand(transaction, """
                    INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at, healthy) VALUES (@n, @now, @now, @healthy)
                    ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = @now, healthy = @healthy
                    """))
                {
                    beat.AddParameter("@n", node).AddParameter("@now", now).AddParameter("@healthy", healthy);
                    await beat.ExecuteNonQueryAsync(cancellationToken);
                }

                var live = new List<string>();
                var well = new List<string>();
                await using (var nodes = connection.CreateCommand(transaction, "SELECT node_id, healthy FROM cluster_nodes WHERE heartbeat_at > @stale"))
                {
                    nodes.AddParameter("@stale", now - lease);
                    await using var reader = await nodes.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        live.Add(reader.GetString(0));
                        if (reader.Bool(1))
                        {
                            well.Add(reader.GetString(0));
                        }
                    }
                }

                var table = await ReadShardsAsync(connection, transaction, " ORDER BY shard", cancellationToken);
                var plan = ShardPlanner.Plan(table, live, well, node, now);
                var until = now + lease;
                await UpdateAsync(connection, transaction, "UPDATE cluster_shards SET lease_until = @until WHERE owner = @n AND shard IN ({0})", plan.Renew, node, until, cancellationToken);
                await UpdateAsync(connection, transaction, "UPDATE cluster_shards SET owner = NULL, lease_until = 0 WHERE owner = @n AND shard IN ({0})", plan.Release, node, until, cancellationToken);
                await UpdateAsync(connection, transaction, "UPDATE cluster_shards SET owner = @n, epoch = epoch + 1, lease_until = @until WHERE shard IN ({0})", plan.Claim, node, until, cancellationToken);

                // Nodes silent for ten lease times are forgotten (they hold nothing: their leases ran out long ago).
                await using (var forget = connection.CreateCommand(transaction, "DELETE FROM cluster_nodes WHERE heartbeat_at < @old AND node_id <> @n"))
                {
                    forget.AddParameter("@old", now - (lease * 10)).AddParameter("@n", node);
                    await forget.ExecuteNonQueryAsync(cancellationToken);
                }

                return new HeartbeatResult(table, live, plan, until);
            },
            cancellationToken);

    /// <summary>A node that stops cleanly gives its shards back and leaves, so the others take them at their next heartbeat.</summary>
    public Task LeaveAsync(string node, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await LockAsync(connection, transaction, cancellationToken);
                await using (var release = connection.CreateCommand(transaction, "UPDATE cluster_shards SET owner = NULL, lease_until = 0 WHERE owner = @n"))
                {
                    release.AddParameter("@n", node);
                    await release.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var leave = connection.CreateCommand(transaction, "DELETE FROM cluster_nodes WHERE node_id = @n");
                leave.AddParameter("@n", node);
                return await leave.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    /// <summary>The shard table as it is now (for the API and tests).</summary>
    public Task<IReadOnlyList<ShardLease>> ReadAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ShardLease>>(async connection => await ReadShardsAsync(connection, null, " ORDER BY shard", cancellationToken), cancellationToken);

    /// <summary>The node rows, by id (for the API; Live and Shards are filled by the caller).</summary>
    public Task<IReadOnlyList<ClusterNodeView>> ReadNodesAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ClusterNodeView>>(
            async connection =>
            {
                await using var select = connection.CreateCommand(null, "SELECT node_id, heartbeat_at, healthy FROM cluster_nodes ORDER BY node_id");
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                var nodes = new List<ClusterNodeView>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    nodes.Add(new ClusterNodeView(reader.GetString(0), reader.Time(1), reader.Bool(2), false, 0));
                }

                return nodes;
            },
            cancellationToken);

    /// <summary>
    /// The fence (<see cref="ShardLeaseFence"/>): reads the given shards' rows with a share lock held until the
    /// transaction ends, in shard order, so a claim by another node (which locks them for update) waits for this commit.
    /// </summary>
    public static async Task<IReadOnlyList<ShardLease>> LockForWriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<int> shards, CancellationToken cancellationToken) =>
        shards.Count == 0 ? [] : await ReadShardsAsync(connection, transaction, $" WHERE shard IN ({InList(shards)}) ORDER BY shard FOR SHARE", cancellationToken);

    /// <summary>A comma-separated list of integers for an IN clause (integers only, so nothing to escape).</summary>
    internal static string InList(IEnumerable<int> values) => string.Join(',', values.Order().Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static async Task LockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT pg_advisory_xact_lock(@key)");
        command.AddParameter("@key", HeartbeatLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<ShardLease>> ReadShardsAsync(DbConnection connection, DbTransaction? transaction, string suffix, CancellationToken cancellationToken)
    {
        await using var select = connection.CreateCommand(transaction, "SELECT shard, owner, epoch, lease_until FROM cluster_shards" + suffix);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ShardLease>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ShardLease((int)reader.Long(0), reader.NullableString(1), reader.Long(2), reader.Time(3)));
        }

        return rows;
    }

    private static async Task UpdateAsync(
        DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<int> shards, string node, DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (shards.Count == 0)
        {
            return;
        }

        await using var update = connection.CreateCommand(transaction, string.Format(CultureInfo.InvariantCulture, sql, InList(shards)));
        update.AddParameter("@n", node);
        if (sql.Contains("@until", StringComparison.Ordinal))
        {
            update.AddParameter("@until", until);
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
