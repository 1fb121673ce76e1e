using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>The outcome of a password change, the SS-5 rules broken, and the target account as it is now (when known).</summary>
public sealed record PasswordChangeResult(PasswordChangeOutcome Outcome, IReadOnlyList<PasswordBreach> Breaches, PortalAccount? Account)
{
    public static PasswordChangeResult Of(PasswordChangeOutcome outcome, PortalAccount? account = null) => new(outcome, [], account);
}
