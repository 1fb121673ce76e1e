namespace GatewayAgent.Controller.Routing;

/// <summary>One key to set (<paramref name="Value"/> not null) or delete in one of the edge's tables.</summary>
public sealed record EdgeOperation(EdgeTable Table, string Key, string? Value);
