namespace GatewayAgent.Controller.Ivr;

/// <summary>The file name of each <see cref="IvrPrompt"/> in the prompt directory: its meaning in kebab case, <c>.wav</c>.</summary>
public static class IvrPrompts
{
    /// <summary>Every prompt, in menu order.</summary>
    public static IReadOnlyList<IvrPrompt> All { get; } = Enum.GetValues<IvrPrompt>();

    /// <summary>The prompt's name as logged: "choose-unit", "incorrect-press-again"...</summary>
    public static string Name(IvrPrompt prompt) => prompt switch
    {
        IvrPrompt.Welcome => "welcome",
        IvrPrompt.ChooseUnit => "choose-unit",
        IvrPrompt.EnterNumber => "enter-number",
        IvrPrompt.EnterPassword => "enter-password",
        IvrPrompt.ConfirmPassword => "confirm-password",
        IvrPrompt.IncorrectPressAgain => "incorrect-press-again",
        IvrPrompt.PasswordSet => "password-set",
        IvrPrompt.TooManyErrors => "too-many-errors",
        IvrPrompt.TryAgainLater => "try-again-later",
        _ => throw new ArgumentOutOfRangeException(nameof(prompt), prompt, null),
    };

    /// <summary>The file of the prompt: <see cref="Name"/> + ".wav".</summary>
    public static string FileName(IvrPrompt prompt) => Name(prompt) + ".wav";
}
