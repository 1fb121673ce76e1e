namespace GatewayAgent.Sip.Rtp;

/// <summary>Where the answerer's RTP may go (bound from "Agent:Sip:Rtp" next to <see cref="RtpPortAllocatorOptions"/>).</summary>
public sealed class RtpMediaOptions
{
    /// <summary>
    /// False (default): RTP goes only to an RTP source with the INVITE's source address (symmetric RTP,
    /// docs/security.md). True: RTP from, and so to, any address inside Agent:Sip:AllowedSources is accepted too, for a
    /// carrier whose media gateway is not its signalling proxy. Without AllowedSources it has no effect.
    /// </summary>
    public bool AllowMediaToAllowedSources { get; set; }
}
