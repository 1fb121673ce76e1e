namespace GatewayAgent.Controller.Routing;

/// <summary>
/// What the edge holds, as last pushed: every key of every table with its value and owning contract. Given the fresh
/// view rows of some contracts it answers which keys to set and which to delete, and takes the new state. Within one
/// batch a key that moved to another contract is set, never deleted, whatever order the contracts come in.
/// </summary>
public sealed class EdgeMirror
{
    private readonly Dictionary<EdgeTable, Dictionary<string, (string Value, long ContractId)>> _rows = [];
    private readonly Dictionary<EdgeTable, Dictionary<long, HashSet<string>>> _keysByContract = [];

    public EdgeMirror()
    {
        foreach (var table in EdgeTable.All)
        {
            _rows[table] = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
            _keysByContract[table] = [];
        }
    }

    /// <summary>Keys held in <paramref name="table"/>.</summary>
    public int Count(EdgeTable table) => _rows[table].Count;

    /// <summary>The value held for <paramref name="key"/>, or null.</summary>
    public string? Get(EdgeTable table, string key) => _rows[table].TryGetValue(key, out var row) ? row.Value : null;

    /// <summary>
    /// Replaces everything <paramref name="contracts"/> hold by <paramref name="rows"/> (their fresh view rows; a contract
    /// without rows, e.g. deleted, loses all its keys) and returns the operations that bring the edge there.
    /// </summary>
    public IReadOnlyList<EdgeOperation> Apply(IReadOnlyCollection<long> contracts, IEnumerable<EdgeRow> rows)
    {
        var changed = contracts as IReadOnlySet<long> ?? contracts.ToHashSet();
        var fresh = EdgeTable.All.ToDictionary(t => t, _ => new Dictionary<string, EdgeRow>(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            fresh[row.Table][row.Key] = row;
        }

        var operations = new List<EdgeOperation>();
        foreach (var table in EdgeTable.All)
        {
            var current = _rows[table];
            var byContract = _keysByContract[table];
            var now = fresh[table];
            foreach (var contract in changed)
            {
                if (!byContract.Remove(contract, out var keys))
                {
                    continue;
                }

                foreach (var key in keys)
                {
                    if (!now.ContainsKey(key) && current.TryGetValue(key, out var held) && changed.Contains(held.ContractId))
                    {
                        current.Remove(key);
                        operations.Add(new EdgeOperation(table, key, null));
                    }
                }
            }

            foreach (var row in now.Values)
            {
                if (current.TryGetValue(row.Key, out var held))
                {
                    if (held.ContractId != row.ContractId && byContract.TryGetValue(held.ContractId, out var previousOwner))
                    {
                        previousOwner.Remove(row.Key);
                    }

                    if (held.Value != row.Value)
                    {
                        operations.Add(new EdgeOperation(table, row.Key, row.Value));
                    }
                }
                else
                {
                    operations.Add(new EdgeOperation(table, row.Key, row.Value));
                }

                current[row.Key] = (row.Value, row.ContractId);
                if (!byContract.TryGetValue(row.ContractId, out var owned))
                {
                    byContract[row.ContractId] = owned = new HashSet<string>(StringComparer.Ordinal);
                }

                owned.Add(row.Key);
            }
        }

        return operations;
    }

    /// <summary>Replaces the whole state by <paramref name="rows"/> (every view read in full).</summary>
    public IReadOnlyList<EdgeOperation> ApplyAll(IReadOnlyList<EdgeRow> rows)
    {
        var contracts = _keysByContract.Values.SelectMany(c => c.Keys).Concat(rows.Select(r => r.ContractId)).ToHashSet();
        return Apply(contracts, rows);
    }
}
