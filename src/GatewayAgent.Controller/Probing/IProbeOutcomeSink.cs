namespace GatewayAgent.Controller.Probing;

/// <summary>Takes each probe's outcome: persists it, feeds the detector (FN-4/FN-5) and acts on transitions.</summary>
public interface IProbeOutcomeSink
{
    /// <summary>Records the outcome; returns true when the detector has settled for this contract (fast probing may stop).</summary>
    Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken);
}
