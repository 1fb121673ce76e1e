namespace GatewayAgent.Sip.Rtp;

/// <summary>
/// Audio for <see cref="RtpSender"/> other than its built-in silence or tone: asked for each 20 ms packet as it is sent
/// (the IVR's prompt player). Called on the sender's loop, one call at a time.
/// </summary>
public interface IRtpPayloadSource
{
    /// <summary>Fills one packet's payload (160 samples) in the sender's codec.</summary>
    /// <param name="codec">The negotiated G.711 law.</param>
    /// <param name="payload">The 160 bytes to fill.</param>
    void Fill(G711Codec codec, Span<byte> payload);
}
