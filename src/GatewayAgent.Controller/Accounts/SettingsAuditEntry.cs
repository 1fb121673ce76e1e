namespace GatewayAgent.Controller.Accounts;

/// <summary>One settings change: who (a login number, <c>ivr:</c> and the calling line, <c>system</c>), when, on what, and what.</summary>
public sealed record SettingsAuditEntry(long Id, long? ContractId, DateTimeOffset At, string Actor, string Target, string Action, string? Detail);
