namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// SS-10: a password change as the site's form submits it: the acting login's current password, the new one twice, and
/// the target account's <see cref="PortalAccount.RowVersion"/> the form showed (SS-11).
/// </summary>
public sealed record PasswordChange(
    string ActorNumber,
    string TargetNumber,
    string CurrentPassword,
    string NewPassword,
    string ConfirmPassword,
    long ExpectedVersion);
