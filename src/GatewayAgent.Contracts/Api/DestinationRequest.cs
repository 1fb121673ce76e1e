namespace GatewayAgent.Contracts.Api;

/// <summary>PUT /api/contracts/{id}/destinations/{number}.</summary>
public sealed record DestinationRequest(string? Destination);
