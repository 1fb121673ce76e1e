namespace GatewayAgent.Controller.Probing;

/// <summary>Places one probe call and ends it cleanly; the scheduler knows no SIP, so its tests need no network.</summary>
public interface IProbeDialer
{
    /// <summary>Calls the target's monitoring number; gives up (a timeout result) after <paramref name="timeout"/>.</summary>
    Task<ProbeDialResult> DialAsync(ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken);
}
