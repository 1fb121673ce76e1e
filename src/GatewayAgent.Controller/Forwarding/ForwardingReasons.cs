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
}
