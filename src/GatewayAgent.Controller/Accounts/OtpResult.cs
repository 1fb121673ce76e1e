namespace GatewayAgent.Controller.Accounts;

/// <summary>The outcome of a one-time-password operation, the rules broken, and the number's settings as they are now.</summary>
public sealed record OtpResult(OtpOutcome Outcome, IReadOnlyList<OtpFieldError> Errors, OtpState? State)
{
    public static OtpResult Of(OtpOutcome outcome, OtpState? state = null) => new(outcome, [], state);
}
