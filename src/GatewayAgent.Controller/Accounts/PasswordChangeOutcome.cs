namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-10: how a password change ended.</summary>
public enum PasswordChangeOutcome
{
    Changed,

    /// <summary>The account changed after the form was shown (SS-11): nothing was written.</summary>
    Stale,

    /// <summary>The current password (the acting login's) was wrong; counted toward the lockout (SS-6).</summary>
    WrongCurrentPassword,

    /// <summary>The new password and its confirmation differ.</summary>
    ConfirmationMismatch,

    /// <summary>The new password breaks SS-5 (see <see cref="PasswordChangeResult.Breaches"/>).</summary>
    PolicyBreached,

    /// <summary>The acting login may not change this number's password (SS-10), or one of them has no account.</summary>
    Forbidden,
}
