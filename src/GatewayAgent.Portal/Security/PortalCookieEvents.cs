using System.Globalization;
using System.Security.Claims;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace GatewayAgent.Portal.Security;

/// <summary>
/// The session cookie's checks on every request. The session is read against the account in the database each time
/// (so a password changed or invalidated on another node, a unit change, or a number leaving the contract ends it at
/// once), its claims are rebuilt from the account (so SS-2's policy decides on current data), and it is renewed on
/// every request, so it expires exactly Portal:IdleTimeout after the last one (SS-11 idle logout).
/// </summary>
public sealed class PortalCookieEvents(PortalAccountStore accounts, TimeProvider time) : CookieAuthenticationEvents
{
    /// <summary>Appended to the login redirect when a session cookie came but was no longer valid (expired or ended).</summary>
    public const string EndedQuery = "ended";

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal!;
        var number = principal.FindFirstValue(PortalClaims.Number);
        var account = number is null ? null : await accounts.FindAsync(number, context.HttpContext.RequestAborted);
        // SS-1: a unit change (SS-9) can take the login away (the line unit logs in with the contract number only).
        if (account is null
            || principal.FindFirstValue(PortalClaims.Stamp) != account.CredentialStamp.ToString(CultureInfo.InvariantCulture)
            || !AccessRules.CanLogIn(account.Unit, account.Number, account.ContractNumber))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        var via = principal.FindFirstValue(PortalClaims.Via) ?? PortalClaims.ViaPassword;
        PasswordChangeReason? mustChange = via == PortalClaims.ViaTemporary
            ? PasswordChangeReason.Temporary
            : account.PasswordExpired(time.GetUtcNow()) ? PasswordChangeReason.Expired : null;
        var otpPending = principal.HasClaim(c => c.Type == PortalClaims.OtpPending);
        context.ReplacePrincipal(PortalUser.Principal(account, via, mustChange, context.Scheme.Name, otpPending));
        context.ShouldRenew = true;
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies.ContainsKey(context.Options.Cookie.Name!))
        {
            context.RedirectUri = QueryStringAppend(context.RedirectUri, EndedQuery, "1");
        }

        return base.RedirectToLogin(context);
    }

    /// <summary>SS-2: a signed-in login without the right gets 403 (rendered by the error page), never a redirect.</summary>
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static string QueryStringAppend(string uri, string key, string value) =>
        uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Uri.EscapeDataString(key) + "=" + Uri.EscapeDataString(value);
}
