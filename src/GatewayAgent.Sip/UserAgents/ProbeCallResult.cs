namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// What a probe call got: the first ringing/progress status and when, the final status (408 on timeout, 503 on a
/// transport error), the time from INVITE to the first sign of life (1xx other than 100, or the final), and for an
/// answered call the status our BYE got (200 when the call was ended cleanly; null when no answer to it came within
/// what was left of the probe timeout — the BYE goes on by itself).
/// </summary>
public sealed record ProbeCallResult(string CallId, int? ProvisionalStatus, int FinalStatus, TimeSpan SetupTime, string? Error, int? ByeStatus = null)
{
    /// <summary>180/183 or 2xx arrived: the INVITE reached the monitoring number.</summary>
    public bool Rang => ProvisionalStatus is 180 or 183 || FinalStatus is >= 200 and < 300;

    /// <summary>No final response came within the probe timeout (the call was then cancelled or abandoned).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The Contact of the 2xx (the UA that answered, e.g. &lt;sip:0312345678@192.0.2.7:5060&gt;); null without a 2xx.</summary>
    public string? AnsweredContact { get; init; }
}
