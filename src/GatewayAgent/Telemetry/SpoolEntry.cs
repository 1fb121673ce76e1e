using GatewayAgent.Contracts;

namespace GatewayAgent.Telemetry;

/// <summary>One undelivered event in the spool.</summary>
/// <param name="Epoch">The MQTT connection it was raised in (-1: while offline or in an earlier run): replayed later, it is historical.</param>
/// <param name="Bytes">Its size on disk, counted against the size bound.</param>
public sealed record SpoolEntry(AgentEvent Event, int Epoch, int Bytes, bool Priority)
{
    public long Seq => Event.Seq;

    /// <summary>Handed to a publisher and not yet acknowledged or released.</summary>
    internal bool Leased { get; set; }
}
