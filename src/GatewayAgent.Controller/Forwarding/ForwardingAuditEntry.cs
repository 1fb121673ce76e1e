namespace GatewayAgent.Controller.Forwarding;

/// <summary>
/// One recorded switch change. <paramref name="Actor"/> is who did it: the API key's name (issue 12 item 7), or the
/// detector; <paramref name="OperatorNote"/> the free X-Operator header the caller sent, stored beside it.
/// </summary>
public sealed record ForwardingAuditEntry(long Id, DateTimeOffset At, bool On, string Reason, string Actor, string? Note, string? OperatorNote = null);
