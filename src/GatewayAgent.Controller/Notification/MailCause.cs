namespace GatewayAgent.Controller.Notification;

/// <summary>The causes a failure mail can name (MailFacts.Cause), and their Japanese wording.</summary>
public static class MailCause
{
    public const string PowerLost = "power.lost";
    public const string Offline = "offline";
    public const string WanDown = "wan.down";
    public const string NoAnswer = "no-answer";

    /// <summary>The Japanese text printed after ■推定原因：, or null when the cause is unknown (the line is then left out).</summary>
    public static string? Describe(string? cause) => cause switch
    {
        // "power loss reported by the adapter"
        PowerLost => "アダプタからの停電通知",

        // "adapter offline (no communication)"
        Offline or WanDown => "アダプタのオフライン（通信断）",

        // "no answer to the probe call" (試験呼 is the guide's word for the probe call, FN-3)
        NoAnswer => "試験呼への応答なし",

        _ => null,
    };
}
