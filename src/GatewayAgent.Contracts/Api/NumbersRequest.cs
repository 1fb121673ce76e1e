namespace GatewayAgent.Contracts.Api;

/// <summary>PUT /api/contracts/{id}/numbers: the additional numbers, monitoring number and channels.</summary>
public sealed record NumbersRequest(IReadOnlyList<string>? AdditionalNumbers, string? MonitoringNumber, int? Channels);
