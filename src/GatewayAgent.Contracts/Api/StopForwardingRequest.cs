namespace GatewayAgent.Contracts.Api;

/// <summary>POST /api/contracts/{id}/forwarding/stop; <see cref="OperatorOverride"/> = BF-11 (needs a note): the stop also holds the switch off until released.</summary>
public sealed record StopForwardingRequest(bool OperatorOverride, string? Note);
