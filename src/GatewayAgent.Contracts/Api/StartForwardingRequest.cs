namespace GatewayAgent.Contracts.Api;

/// <summary>POST /api/contracts/{id}/forwarding/start.</summary>
public sealed record StartForwardingRequest(string? Note);
