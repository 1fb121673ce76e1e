namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// What a probe call got: the first ringing/progress status and when, the final status (408 on timeout, 503 on a
/// transport error), and the time from INVITE to the first sign of life (1xx other than 100, or the final).
/// </summary>
public sealed record ProbeCallResult(string CallId, int? ProvisionalStatus, int FinalStatus, TimeSpan SetupTime, string? Error)
{
    /// <summary>180/183 or 2xx arrived: the INVITE reached the monitoring number.</summary>
    public bool Rang => ProvisionalStatus is 180 or 183 || FinalStatus is >= 200 and < 300;
}
