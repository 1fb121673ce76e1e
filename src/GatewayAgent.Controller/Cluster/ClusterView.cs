namespace GatewayAgent.Controller.Cluster;

/// <summary>
/// <c>GET /api/cluster</c>: which node answered, the shard count, the nodes with the shards each holds, and the shards
/// nobody holds now (between a lease's end and a takeover). On SQLite: one node, not clustered, every shard its own.
/// </summary>
public sealed record ClusterView(bool Clustered, string ServedBy, int Shards, IReadOnlyList<ClusterNodeView> Nodes, int Unowned);
