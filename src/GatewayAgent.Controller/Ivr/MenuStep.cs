namespace GatewayAgent.Controller.Ivr;

/// <summary>Where a caller is in the SS-3 menu.</summary>
public enum MenuStep
{
    /// <summary>Not started (the call is not confirmed yet).</summary>
    NotStarted,

    /// <summary>Waiting for <c>1</c> line, <c>2</c> number, <c>3</c> admin/user.</summary>
    ChooseUnit,

    /// <summary>Units 2 and 3: the number from the area code, then <c>#</c>.</summary>
    EnterNumber,

    /// <summary>The 8 digits.</summary>
    EnterPassword,

    /// <summary>The same 8 digits again.</summary>
    ConfirmPassword,

    /// <summary>Waiting for the account store to set the password; keys are ignored.</summary>
    Issuing,

    /// <summary>Set, given up (3 wrong entries) or failed: the call is ending; keys are ignored.</summary>
    Finished,
}
