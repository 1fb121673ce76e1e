namespace GatewayAgent.Controller.Probing;

/// <summary>Why a probe got no final response of its own.</summary>
public enum ProbeDialFailure
{
    /// <summary>A final response arrived (see <see cref="ProbeDialResult.FinalStatus"/>).</summary>
    None,

    /// <summary>No final response within the probe timeout.</summary>
    Timeout,

    /// <summary>The INVITE could not be sent (no route, connection refused, no listener, bad target).</summary>
    TransportError,
}
