namespace GatewayAgent.Contracts.Api;

/// <summary>POST /api/contracts/{id}/forwarding/release: ends the operator's hold (BF-11); the note (why) is required.</summary>
public sealed record ReleaseForwardingRequest(string? Note);
