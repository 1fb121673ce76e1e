namespace GatewayAgent.Contracts.Api;

/// <summary>One stored probe of a contract's recent history.</summary>
public sealed record ProbeHistoryEntry(
    long Id, ProbeOutcome Outcome, int? Status, string Detail, DateTimeOffset StartedAt, TimeSpan? SetupTime, DateTimeOffset RecordedAt);
