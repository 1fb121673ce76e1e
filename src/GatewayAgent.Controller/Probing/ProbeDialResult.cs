namespace GatewayAgent.Controller.Probing;

/// <summary>What one probe call got, before classification.</summary>
/// <param name="Failure">Timeout or transport error; None when a final response arrived.</param>
/// <param name="ProvisionalStatus">The first provisional above 100 (180, 183...), if any.</param>
/// <param name="FinalStatus">The final response's status; null on timeout or transport error.</param>
/// <param name="SetupTime">INVITE to the first provisional above 100 or the final response; null when nothing came.</param>
/// <param name="Error">The transport error or timeout text.</param>
/// <param name="ByeStatus">For an answered probe, the status our BYE got (200 = ended cleanly).</param>
public sealed record ProbeDialResult(ProbeDialFailure Failure, int? ProvisionalStatus, int? FinalStatus, TimeSpan? SetupTime, string? Error = null, int? ByeStatus = null)
{
    public static ProbeDialResult Response(int finalStatus, TimeSpan setupTime, int? provisionalStatus = null, int? byeStatus = null) =>
        new(ProbeDialFailure.None, provisionalStatus, finalStatus, setupTime, null, byeStatus);

    public static ProbeDialResult TimedOut(int? provisionalStatus = null, TimeSpan? setupTime = null) =>
        new(ProbeDialFailure.Timeout, provisionalStatus, null, setupTime, "timeout");

    public static ProbeDialResult TransportError(string error) => new(ProbeDialFailure.TransportError, null, null, null, error);
}
