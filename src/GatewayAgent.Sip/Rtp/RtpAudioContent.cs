namespace GatewayAgent.Sip.Rtp;

/// <summary>What <see cref="RtpSender"/> puts in its packets.</summary>
public enum RtpAudioContent
{
    /// <summary>Digital silence: every byte the codec's encoding of 0.</summary>
    Silence,

    /// <summary>A continuous sine tone, 425 Hz by default (the European dial and ring-back frequency).</summary>
    Tone,
}
