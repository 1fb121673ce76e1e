using GatewayAgent.Controller.Api;

namespace GatewayAgent.Controller.Cluster;

/// <summary>The cluster's state for operators and the lab: <c>GET /api/cluster</c> (read role).</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/cluster", async (IProbeOwnership ownership, ShardTable table, TimeProvider time, CancellationToken ct) =>
                Results.Ok(await ReadAsync(ownership, table, time.GetUtcNow(), ct)))
            .RequireApiRole(ApiRole.Read)
            .WithTags("cluster")
            .WithSummary("The controller nodes, their heartbeats and the shards each holds (docs/scale-out.md).");
        return endpoints;
    }

    public static async Task<ClusterView> ReadAsync(IProbeOwnership ownership, ShardTable table, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        ArgumentNullException.ThrowIfNull(table);
        if (!ownership.Clustered)
        {
            return new ClusterView(false, ownership.NodeId, ownership.Shards, [new ClusterNodeView(ownership.NodeId, now, true, true, ownership.Shards)], 0);
        }

        var shards = await table.ReadAsync(cancellationToken);
        var held = shards.Where(s => s.IsHeldAt(now)).GroupBy(s => s.Owner!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var nodes = (await table.ReadNodesAsync(cancellationToken))
            .Select(n => n with { Live = n.HeartbeatAt > now - ownership.LeaseTime, Shards = held.GetValueOrDefault(n.NodeId) })
            .ToList();
        return new ClusterView(true, ownership.NodeId, shards.Count, nodes, shards.Count - held.Values.Sum());
    }
}
