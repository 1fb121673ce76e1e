namespace GatewayAgent.Domain.Accounts;

/// <summary>SS-9: the passwords a change of authentication unit asks for.</summary>
public enum UnitChangeProof
{
    /// <summary>The current password of the login making the change.</summary>
    LoginPassword,

    /// <summary>The current password of every number of the contract (from the number unit).</summary>
    AllPasswords,
}
