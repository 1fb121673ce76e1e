namespace GatewayAgent.Controller.Detection;

/// <summary>The detector after one outcome; <see cref="TransitionTo"/> is the new state when this outcome changed it.</summary>
public sealed record DetectorStep(DetectorView Next, string? TransitionTo)
{
    /// <summary>No counting in progress: normal with no misses, or failed with no reached probes (fast probing may stop).</summary>
    public bool Settled => Next.State == DetectorStates.Normal ? Next.Misses == 0 : Next.Reached == 0;
}
