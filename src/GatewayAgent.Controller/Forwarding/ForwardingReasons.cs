namespace GatewayAgent.Controller.Forwarding;

/// <summary>Why the bulk-forward switch changed (stored with the switch and in its audit).</summary>
public static class ForwardingReasons
{
    /// <summary>Started or stopped from the API by the customer's request (BF-4).</summary>
    public const string Manual = "manual";

    /// <summary>Started by the detector on failure (FN-6).</summary>
    public const string AutoStart = "auto-start";

    /// <summary>Stopped by the detector on recovery (FN-7).</summary>
    public const string AutoStop = "auto-stop";

    /// <summary>Stopped by the operator on the destination owner's request (BF-11).</summary>
    public const string OperatorOverride = "operator-override";

    /// <summary>
    /// The operator's stop also holds the switch (BF-11): no start or auto-start turns it on until released. Audited
    /// (switch unchanged) with the operator and the note; the latest such row is the hold's since/by/note.
    /// </summary>
    public const string OperatorHold = "operator-hold";

    /// <summary>The operator ended the hold (BF-11); the switch stays off until someone starts it.</summary>
    public const string OperatorRelease = "operator-release";

    /// <summary>The detector's auto-start at a failure (FN-6) was not applied because the operator holds the switch (BF-11).</summary>
    public const string AutoStartSuppressed = "auto-start-suppressed";
}
