namespace GatewayAgent.Contracts.Api;

/// <summary>PUT /api/contracts/{id}/probe: where and how often probes go.</summary>
public sealed record ProbeRequest(string? ProbeTarget, string? OutboundProxy, TimeSpan? ProbeInterval);
