namespace GatewayAgent.Contracts.Api;

/// <summary>PUT /api/contracts/{id}/site: the agent's MQTT site id and (write-only) password.</summary>
public sealed record SiteRequest(string? SiteId, string? Password);
