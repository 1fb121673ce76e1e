using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>One probe call to place: where to send the INVITE, whom to call, and how to end it.</summary>
public sealed record ProbeCallRequest
{
    /// <summary>Where the INVITE goes (the site's agent, or an outbound proxy).</summary>
    public required SipTarget Target { get; init; }

    /// <summary>The Request-URI and To, e.g. sip:0312345678@192.0.2.7:5060.</summary>
    public required SipUri RequestUri { get; init; }

    /// <summary>The caller number presented in From (FN-11: calling it back gets busy).</summary>
    public string CallerNumber { get; init; } = "probe";

    /// <summary>Give up (CANCEL after a provisional, else abandon) when no final answer came in this time.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>End the call (CANCEL) as soon as it rings instead of waiting for an answer.</summary>
    public bool CancelOnRinging { get; init; }

    /// <summary>How long to stay in an answered call before our BYE.</summary>
    public TimeSpan HoldFor { get; init; } = TimeSpan.Zero;

    /// <summary>Outbound proxy route (a Route header value such as &lt;sip:192.0.2.1;lr&gt;), or null.</summary>
    public string? Route { get; init; }
}
