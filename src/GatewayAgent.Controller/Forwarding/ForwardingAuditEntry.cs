namespace GatewayAgent.Controller.Forwarding;

/// <summary>One recorded switch change.</summary>
public sealed record ForwardingAuditEntry(long Id, DateTimeOffset At, bool On, string Reason, string Actor, string? Note);
