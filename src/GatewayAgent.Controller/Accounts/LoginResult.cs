namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// The outcome of a login attempt. A failure says nothing more (unknown number, wrong password, invalidated password
/// all look the same to the caller, SS-6), so the site cannot reveal whether a number exists.
/// </summary>
public sealed record LoginResult(PortalAccount? Account, PasswordChangeReason? MustChange)
{
    public static LoginResult Failed { get; } = new(null, null);

    public bool Succeeded => Account is not null;
}
