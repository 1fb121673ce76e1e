using System.Data.Common;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Routing;

/// <summary>Reads the edge views (migration 6), whole or for some contracts.</summary>
public sealed class EdgeViews(ControllerDatabase database)
{
    public Task<IReadOnlyList<EdgeRow>> ReadAllAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<EdgeRow>>(
            async connection =>
            {
                var rows = new List<EdgeRow>();
                foreach (var table in EdgeTable.All)
                {
                    await using var command = connection.CreateCommand(null, $"SELECT key_name, key_value, contract_id FROM {table.View}");
                    await ReadAsync(command, table, rows, cancellationToken);
                }

                return rows;
            },
            cancellationToken);

    /// <summary>Contract ids per query of <see cref="ReadAsync(IReadOnlyCollection{long}, CancellationToken)"/>.</summary>
    public const int ContractsPerQuery = 500;

    /// <summary>
    /// The rows of <paramref name="contracts"/>: one query per view for up to <see cref="ContractsPerQuery"/> contracts
    /// (a storm's batch of thousands costs a few queries, not four per contract).
    /// </summary>
    public Task<IReadOnlyList<EdgeRow>> ReadAsync(IReadOnlyCollection<long> contracts, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<EdgeRow>>(
            async connection =>
            {
                var rows = new List<EdgeRow>();
                foreach (var chunk in contracts.Chunk(ContractsPerQuery))
                {
                    // the ids are longs, written as literals: no injection, and one statement shape per chunk size
                    var ids = string.Join(',', chunk.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    foreach (var table in EdgeTable.All)
                    {
                        await using var command = connection.CreateCommand(null, $"SELECT key_name, key_value, contract_id FROM {table.View} WHERE contract_id IN ({ids})");
                        await ReadAsync(command, table, rows, cancellationToken);
                    }
                }

                return rows;
            },
            cancellationToken);

    private static async Task ReadAsync(DbCommand command, EdgeTable table, List<EdgeRow> rows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new EdgeRow(table, reader.GetString(0), reader.GetString(1), reader.Long(2)));
        }
    }
}
