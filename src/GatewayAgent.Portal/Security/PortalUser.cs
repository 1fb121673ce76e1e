using System.Globalization;
using System.Security.Claims;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Portal.Security;

/// <summary>The signed-in login as the pages see it, read from the session's claims.</summary>
public sealed record PortalUser(
    string Number, long ContractId, string ContractNumber, AuthenticationUnit Unit, PasswordChangeReason? MustChange, bool OtpPending = false,
    bool OtpChoiceNeeded = false)
{
    /// <summary>SS-8: the login manages every number of the contract (line unit, or the admin of the admin/user unit).</summary>
    public bool ManagesAllNumbers => AccessRules.ManagesAllNumbers(Unit, Number, ContractNumber);

    /// <summary>SS-2: bulk-forward and failure-notification settings.</summary>
    public bool CanManageContractSettings => AccessRules.CanManageContractSettings(Unit, Number, ContractNumber);

    /// <summary>SS-1: whether this login manages <paramref name="number"/>.</summary>
    public bool CanManageNumber(string number) => AccessRules.CanManageNumber(Unit, Number, ContractNumber, number);

    /// <summary>SS-10: the admin of the admin/user unit changes every number's password.</summary>
    public bool IsAdmin => Unit == AuthenticationUnit.AdminUser && Number == ContractNumber;

    public static PortalUser? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true
            || principal.FindFirstValue(PortalClaims.Number) is not { } number
            || !long.TryParse(principal.FindFirstValue(PortalClaims.ContractId), NumberStyles.None, CultureInfo.InvariantCulture, out var contractId)
            || principal.FindFirstValue(PortalClaims.ContractNumber) is not { } contractNumber
            || !Enum.TryParse<AuthenticationUnit>(principal.FindFirstValue(PortalClaims.Unit), out var unit))
        {
            return null;
        }

        PasswordChangeReason? mustChange = Enum.TryParse<PasswordChangeReason>(principal.FindFirstValue(PortalClaims.MustChange), out var reason)
            ? reason
            : null;
        return new PortalUser(
            number, contractId, contractNumber, unit, mustChange, principal.HasClaim(c => c.Type == PortalClaims.OtpPending),
            principal.HasClaim(c => c.Type == PortalClaims.OtpChoiceNeeded));
    }

    /// <summary>
    /// The principal of a session of <paramref name="account"/>, begun with the temporary password or the password;
    /// <paramref name="otpPending"/> while the one-time password is still to be entered (SS-7, only when the account uses it).
    /// </summary>
    public static ClaimsPrincipal Principal(PortalAccount account, string via, PasswordChangeReason? mustChange, string scheme, bool otpPending = false)
    {
        ArgumentNullException.ThrowIfNull(account);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.Number),
            // The antiforgery tokens are bound to this claim alone, so a form shown before the password changed (which
            // changes the other claims) still passes antiforgery and reaches the stale-form check (SS-11).
            new(ClaimTypes.NameIdentifier, account.Number),
            new(PortalClaims.Number, account.Number),
            new(PortalClaims.ContractId, account.ContractId.ToString(CultureInfo.InvariantCulture)),
            new(PortalClaims.ContractNumber, account.ContractNumber),
            new(PortalClaims.Unit, account.Unit.ToString()),
            new(PortalClaims.Stamp, account.CredentialStamp.ToString(CultureInfo.InvariantCulture)),
            new(PortalClaims.Via, via),
        };
        if (mustChange is { } reason)
        {
            claims.Add(new Claim(PortalClaims.MustChange, reason.ToString()));
        }

        if (otpPending && account.OtpActive)
        {
            claims.Add(new Claim(PortalClaims.OtpPending, "1"));
        }

        if (account.OtpChoiceNeeded)
        {
            claims.Add(new Claim(PortalClaims.OtpChoiceNeeded, "1"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, PortalClaims.Number, ClaimTypes.Role));
    }
}
