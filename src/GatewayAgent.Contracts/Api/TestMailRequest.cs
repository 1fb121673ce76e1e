namespace GatewayAgent.Contracts.Api;

/// <summary>POST /api/contracts/{id}/test-mail (FN-8).</summary>
public sealed record TestMailRequest(string? Address);
