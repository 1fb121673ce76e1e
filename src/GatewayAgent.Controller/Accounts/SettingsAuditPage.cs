namespace GatewayAgent.Controller.Accounts;

/// <summary>One page of the settings audit, newest first; <see cref="NextBefore"/> is the <c>before</c> of the next older page (null: none).</summary>
public sealed record SettingsAuditPage(IReadOnlyList<SettingsAuditEntry> Entries, long? NextBefore);
