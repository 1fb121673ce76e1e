namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// The IVR's prompts (SS-3), each an audio file named by its meaning in the prompt directory (<see cref="IvrPrompts.FileName"/>).
/// </summary>
public enum IvrPrompt
{
    /// <summary>"This is the temporary-password service."</summary>
    Welcome,

    /// <summary>"Choose the authentication unit: 1 line, 2 number, 3 admin/user."</summary>
    ChooseUnit,

    /// <summary>"Enter the phone number from the area code, then #."</summary>
    EnterNumber,

    /// <summary>"Enter an 8-digit temporary password."</summary>
    EnterPassword,

    /// <summary>"Enter the same 8 digits again to confirm."</summary>
    ConfirmPassword,

    /// <summary>"The number entered is not correct, please press again." (SS-3 step 5)</summary>
    IncorrectPressAgain,

    /// <summary>"Your temporary password is set; it is valid for 24 hours." Then the call ends.</summary>
    PasswordSet,

    /// <summary>"The entries were not correct 3 times; please call again." Then the call ends (SS-3 step 5).</summary>
    TooManyErrors,

    /// <summary>"The service is not available now; please call again later." Then the call ends.</summary>
    TryAgainLater,
}
