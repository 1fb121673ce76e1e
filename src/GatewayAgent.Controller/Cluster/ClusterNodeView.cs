namespace GatewayAgent.Controller.Cluster;

/// <summary>One node in <c>GET /api/cluster</c>: its last heartbeat, whether its canary answers, whether it is live, and the shards it holds.</summary>
public sealed record ClusterNodeView(string NodeId, DateTimeOffset HeartbeatAt, bool Healthy, bool Live, int Shards);
