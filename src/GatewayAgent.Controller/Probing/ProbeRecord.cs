namespace GatewayAgent.Controller.Probing;

/// <summary>One probe's outcome, kept in the contract's recent history and fed to the detector.</summary>
/// <param name="Status">Final (or best provisional) SIP status; null on timeout or transport error.</param>
/// <param name="Detail">Why: "timeout", "transport error: ...", "486 Busy Here", ...</param>
/// <param name="SetupTime">INVITE to first 180/183/2xx; null when not reached.</param>
public sealed record ProbeRecord(long ContractId, ProbeOutcome Outcome, int? Status, string Detail, DateTimeOffset StartedAt, TimeSpan? SetupTime);
