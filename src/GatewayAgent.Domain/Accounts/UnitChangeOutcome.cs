namespace GatewayAgent.Domain.Accounts;

/// <summary>SS-9: what a change of authentication unit does to one number's password.</summary>
public enum UnitChangeOutcome
{
    /// <summary>The number keeps its own password.</summary>
    Keep,

    /// <summary>The number gets the password of the login that made the change (the line-unit password, or, from the number unit to the line unit, the number used).</summary>
    ActorsPassword,

    /// <summary>The number's password becomes invalid (a temporary password by phone, SS-3, sets a new one).</summary>
    Invalidated,

    /// <summary>The number has no password and gets none: it needs a temporary password by phone (SS-3) before it logs in.</summary>
    NeedsTemporaryPassword,
}
