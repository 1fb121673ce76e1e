namespace GatewayAgent.Portal.Security;

/// <summary>The claims of a settings-site session, refreshed from the account on every request (<see cref="PortalCookieEvents"/>).</summary>
public static class PortalClaims
{
    public const string Number = "gw:number";
    public const string ContractId = "gw:contract";
    public const string ContractNumber = "gw:contract-number";
    public const string Unit = "gw:unit";

    /// <summary>The account's credential stamp at sign-in: a password set or invalidated since ends the session.</summary>
    public const string Stamp = "gw:stamp";

    /// <summary>"temporary" when the session began with the temporary password (SS-4), else "password".</summary>
    public const string Via = "gw:via";

    /// <summary>Present ("temporary" or "expired") while the login must change its password before anything else (SS-4).</summary>
    public const string MustChange = "gw:must-change";

    /// <summary>Present while the session has passed the password but not yet the one-time password (SS-7).</summary>
    public const string OtpPending = "gw:otp-pending";

    /// <summary>Present while the number has not chosen whether to use the one-time password (SS-7, first login).</summary>
    public const string OtpChoiceNeeded = "gw:otp-choice";

    public const string ViaTemporary = "temporary";
    public const string ViaPassword = "password";
}
