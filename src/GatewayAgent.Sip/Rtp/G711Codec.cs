namespace GatewayAgent.Sip.Rtp;

/// <summary>The two G.711 companding laws, each an 8 kHz, 8-bit audio encoding with a static RTP payload type (RFC 3551 §6).</summary>
public enum G711Codec
{
    /// <summary>µ-law, encoding name PCMU, static payload type 0.</summary>
    Pcmu = 0,

    /// <summary>A-law, encoding name PCMA, static payload type 8.</summary>
    Pcma = 8,
}
