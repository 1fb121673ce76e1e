namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-4: why a login must change its password before anything else.</summary>
public enum PasswordChangeReason
{
    /// <summary>Logged in with the temporary password set by phone (SS-3).</summary>
    Temporary,

    /// <summary>The password is older than 60 days (SS-5).</summary>
    Expired,
}
