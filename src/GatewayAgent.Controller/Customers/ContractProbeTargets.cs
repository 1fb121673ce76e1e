using System.Globalization;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Customers;

/// <summary>The contracts whose service is on (FN-14) and that have a monitoring number (FN-2) and a probe target (FN-3).</summary>
public sealed class ContractProbeTargets(ControllerDatabase database) : IProbeTargetSource
{
    public ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(CancellationToken cancellationToken) => ReadAsync(null, cancellationToken);

    /// <summary>
    /// The targets whose contract id modulo <paramref name="shards"/> is one of <paramref name="owned"/> (a cluster node's
    /// share, docs/scale-out.md); all of them when <paramref name="owned"/> covers every shard.
    /// </summary>
    public ValueTask<IReadOnlyList<ProbeTarget>> GetTargetsAsync(int shards, IReadOnlyCollection<int> owned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (owned.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyList<ProbeTarget>>([]);
        }

        var filter = owned.Count >= shards
            ? null
            : string.Create(CultureInfo.InvariantCulture, $" AND (id % {shards}) IN ({string.Join(',', owned.Order().Select(s => s.ToString(CultureInfo.InvariantCulture)))})");
        return ReadAsync(filter, cancellationToken);
    }

    private async ValueTask<IReadOnlyList<ProbeTarget>> ReadAsync(string? filter, CancellationToken cancellationToken) =>
        await database.ReadAsync<IReadOnlyList<ProbeTarget>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, $"""
                    SELECT id, probe_target, monitoring_number, outbound_proxy, probe_interval_ms, site_id FROM contracts
                    WHERE service_on = 1 AND monitoring_number IS NOT NULL AND probe_target IS NOT NULL{filter}
                    ORDER BY id
                    """);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var targets = new List<ProbeTarget>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    targets.Add(new ProbeTarget(
                        reader.Long(0),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.NullableString(3),
                        reader.NullableLong(4) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                        reader.NullableString(5)));
                }

                return targets;
            },
            cancellationToken);
}
