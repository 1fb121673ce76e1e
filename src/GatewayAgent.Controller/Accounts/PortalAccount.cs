using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// One number's settings-site login as the site sees it (no hashes). <see cref="RowVersion"/> changes with every change
/// of the account's settings (password, temporary password, unit), so a form that showed an older version is refused
/// (SS-11); <see cref="CredentialStamp"/> changes when the password is set or invalidated, which ends older sessions.
/// <see cref="OtpActive"/>: the one-time password is chosen and its receiving address confirmed, so a login needs it (SS-7).
/// </summary>
public sealed record PortalAccount(
    string Number,
    long ContractId,
    string ContractNumber,
    AuthenticationUnit Unit,
    bool HasPassword,
    DateTimeOffset? PasswordSetAt,
    bool PasswordInvalidated,
    bool HasTemporaryPassword,
    DateTimeOffset? TemporaryIssuedAt,
    bool TemporaryInvalidated,
    long CredentialStamp,
    long RowVersion,
    DateTimeOffset? LastLoginAt,
    OtpUsage? OtpUsage = null,
    bool OtpActive = false)
{
    /// <summary>SS-7: the number has not yet chosen whether to use the one-time password (asked after the first login).</summary>
    public bool OtpChoiceNeeded => OtpUsage is null;

    /// <summary>SS-5: the password has outlived its 60 days (or there is none), so the login forces a change (SS-4).</summary>
    public bool PasswordExpired(DateTimeOffset now) =>
        !HasPassword || PasswordSetAt is not { } setAt || PasswordPolicy.IsExpired(setAt, now);

    /// <summary>SS-1, SS-2: whether this login may manage the contract's bulk-forward and notification settings.</summary>
    public bool CanManageContractSettings => AccessRules.CanManageContractSettings(Unit, Number, ContractNumber);
}
