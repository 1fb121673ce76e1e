namespace GatewayAgent.Domain.Accounts;

/// <summary>
/// SS-9: one change of authentication unit as the rules decide it: the passwords it asks for and each number's password
/// afterwards; or, when the login may not make it, <see cref="Refusal"/> (Japanese, as the site shows it).
/// </summary>
public sealed record UnitChangePlan(
    AuthenticationUnit From,
    AuthenticationUnit To,
    UnitChangeProof Proof,
    IReadOnlyDictionary<string, UnitChangeOutcome> Outcomes,
    string? Refusal)
{
    public bool Allowed => Refusal is null;
}
