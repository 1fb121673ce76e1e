namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-8: the outcome of a bulk CSV upload: how many numbers were set, or why nothing was (all or nothing).</summary>
public sealed record OtpBulkResult(OtpOutcome Outcome, int Applied, int Mailed, IReadOnlyList<OtpFieldError> Errors);
