using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// SS-7: one number's one-time-password settings as the site shows them (no hashes). <see cref="RowVersion"/> is 0
/// before anything was set and changes with every change (SS-11 stale forms).
/// </summary>
public sealed record OtpState(
    string Number,
    OtpUsage? Usage,
    string? Address,
    string? PendingAddress,
    DateTimeOffset? LinkExpiresAt,
    string? ConfirmationId,
    bool HasConfirmationPassword,
    bool ConfirmationsInvalidated,
    DateTimeOffset? CodeSentAt,
    long RowVersion)
{
    /// <summary>The number uses the one-time password and its receiving address is confirmed: a login needs a code.</summary>
    public bool Active => Usage == OtpUsage.Used && Address is not null;

    /// <summary>An address, confirmation ID and confirmation password are registered (the address may still await its link).</summary>
    public bool Registered => (Address ?? PendingAddress) is not null && ConfirmationId is not null && HasConfirmationPassword;

    public static OtpState None(string number) => new(number, null, null, null, null, null, false, false, null, 0);
}
