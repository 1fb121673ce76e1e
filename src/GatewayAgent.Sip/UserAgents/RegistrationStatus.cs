namespace GatewayAgent.Sip.UserAgents;

/// <summary>A registration state change: the new state, until when it holds, and the last error if any.</summary>
public sealed record RegistrationStatus(RegistrationState State, DateTimeOffset? ExpiresAt, string? Error, int? StatusCode);
