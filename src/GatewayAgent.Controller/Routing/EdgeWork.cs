namespace GatewayAgent.Controller.Routing;

/// <summary>
/// One step for an edge node, in commit order: keys to set or delete, or (with <paramref name="Reload"/>) a table to
/// reload from its database view, which is cheaper than thousands of keys in a storm.
/// </summary>
public sealed record EdgeWork(IReadOnlyList<EdgeOperation> Operations, EdgeTable? Reload = null);
