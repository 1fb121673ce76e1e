namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-9: how a change of authentication unit ended.</summary>
public enum UnitChangeStatus
{
    Changed,

    /// <summary>An account of the contract changed after the form was shown (SS-11): nothing was written.</summary>
    Stale,

    /// <summary>This login may not make this change (see <see cref="UnitChangeResult.Message"/>).</summary>
    Refused,

    /// <summary>A number the change needs has no usable password (it needs a temporary password by phone first).</summary>
    MissingPassword,

    /// <summary>A password entered was wrong (each counted toward its number's lockout, SS-6).</summary>
    WrongPassword,
}
