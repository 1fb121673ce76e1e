namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-7, SS-8: how a one-time-password operation ended.</summary>
public enum OtpOutcome
{
    Done,

    /// <summary>The settings changed after the form was shown (SS-11): nothing was written.</summary>
    Stale,

    /// <summary>An entry breaks a rule (see <see cref="OtpResult.Errors"/>).</summary>
    Invalid,

    /// <summary>The confirmation ID or password (or an old value to change) was wrong; counted toward their invalidation.</summary>
    WrongConfirmation,

    /// <summary>The confirmation ID and password are invalidated after too many wrong entries: register again.</summary>
    ConfirmationsInvalidated,

    /// <summary>No registration yet (address, confirmation ID and password).</summary>
    NotRegistered,

    /// <summary>A code was sent less than <see cref="Domain.Accounts.OtpRules.ResendInterval"/> ago.</summary>
    TooSoon,

    /// <summary>The number does not use the one-time password (or its address is not confirmed).</summary>
    NotActive,

    /// <summary>The code is wrong (counted: per code, and as a wrong password, SS-6).</summary>
    WrongCode,

    /// <summary>The code, or the confirmation link, has expired, was used, or was voided by wrong entries.</summary>
    Expired,

    /// <summary>The number is not one this login may set.</summary>
    Forbidden,
}
