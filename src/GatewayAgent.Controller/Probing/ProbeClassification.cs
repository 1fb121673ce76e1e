namespace GatewayAgent.Controller.Probing;

/// <summary>A probe's outcome, the status that decided it, and a short reason for the history.</summary>
public readonly record struct ProbeClassification(ProbeOutcome Outcome, int? Status, string Detail);
