using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// SS-3: what the temporary-password IVR asks of the account store once a caller has chosen the unit, named the
/// number (units 2 and 3) and entered the same 8 digits twice. The caller's line has already been taken from a trusted
/// edge's <c>P-Asserted-Identity</c>.
/// </summary>
public interface ITemporaryPasswordIssuer
{
    /// <summary>
    /// Whether <paramref name="callingNumber"/> (normalised) is one of a contract's numbers, so the IVR may serve it.
    /// </summary>
    Task<bool> IsContractLineAsync(string callingNumber, CancellationToken cancellationToken);

    /// <summary>
    /// Sets <paramref name="digits"/> (8 digits) as the temporary password, valid 24 h (SS-3), of the login named by
    /// <paramref name="unit"/> and <paramref name="targetNumber"/>: for <see cref="AuthenticationUnit.Line"/> the
    /// contract number of the caller's contract (<paramref name="targetNumber"/> is null); for the other units the
    /// number entered, which must belong to the caller's contract. Returns null when it was set, or the reason it was
    /// refused (the number is not one of the caller's contract, the unit does not allow it...), which the IVR treats
    /// as an invalid entry.
    /// </summary>
    Task<string?> IssueAsync(
        string callingNumber, AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken);
}
