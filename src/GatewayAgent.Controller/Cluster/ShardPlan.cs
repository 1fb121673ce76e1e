namespace GatewayAgent.Controller.Cluster;

/// <summary>What one node does with the shards in one heartbeat: renew what it keeps, release its excess, claim free shards.</summary>
public sealed record ShardPlan(IReadOnlyList<int> Renew, IReadOnlyList<int> Release, IReadOnlyList<int> Claim)
{
    /// <summary>The shards the node holds after the plan is applied.</summary>
    public IEnumerable<int> Held => Renew.Concat(Claim);
}
