namespace GatewayAgent.Status;

/// <summary>
/// Whether the SIP leg hears the network. Always open on real hardware; the simulated board closes it when the
/// simulated WAN goes down (or the simulated site loses power), so a lab site stops answering probes like a cut site.
/// </summary>
public sealed class WanGate
{
    private volatile bool _open = true;

    public bool IsOpen { get => _open; set => _open = value; }
}
