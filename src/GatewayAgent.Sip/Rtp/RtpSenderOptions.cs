using System.Net;

namespace GatewayAgent.Sip.Rtp;

/// <summary>What one <see cref="RtpSender"/> sends, and to whom.</summary>
public sealed record RtpSenderOptions
{
    /// <summary>The peer's RTP address and port, from its SDP.</summary>
    public required IPEndPoint RemoteEndpoint { get; init; }

    /// <summary>The G.711 law to encode with.</summary>
    public G711Codec Codec { get; init; } = G711Codec.Pcmu;

    /// <summary>The payload type to send; <see langword="null"/> for the codec's static type (0 or 8).</summary>
    public int? PayloadType { get; init; }

    /// <summary>Silence or a tone.</summary>
    public RtpAudioContent Content { get; init; } = RtpAudioContent.Silence;

    /// <summary>When set, fills every packet instead of <see cref="Content"/> (recorded audio: the IVR's prompts).</summary>
    public IRtpPayloadSource? PayloadSource { get; init; }

    /// <summary>The tone frequency in Hz, below the 4 kHz Nyquist limit.</summary>
    public double ToneFrequency { get; init; } = 425;

    /// <summary>The tone's peak as a fraction of full scale; 0.22 is about −10 dBm0.</summary>
    public double ToneAmplitude { get; init; } = 0.22;

    /// <summary>
    /// When set, the most bytes (RTP header and payload) the stream may have sent so far, read before each packet: a
    /// packet that would exceed it is skipped (a timestamp gap). The answerer passes the bytes received from the peer,
    /// so it never sends more than it was sent (no amplification, docs/security.md).
    /// </summary>
    public Func<long>? ByteBudget { get; init; }

    internal int EffectivePayloadType => PayloadType ?? (int)Codec;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(RemoteEndpoint);
        if (EffectivePayloadType is < 0 or > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(PayloadType), PayloadType, "An RTP payload type is 0–127.");
        }

        if (ToneFrequency is <= 0 or >= G711.SampleRate / 2.0 || double.IsNaN(ToneFrequency))
        {
            throw new ArgumentOutOfRangeException(nameof(ToneFrequency), ToneFrequency, "The tone must lie between 0 and 4000 Hz.");
        }

        if (ToneAmplitude is < 0 or > 1 || double.IsNaN(ToneAmplitude))
        {
            throw new ArgumentOutOfRangeException(nameof(ToneAmplitude), ToneAmplitude, "The amplitude is a fraction of full scale, 0–1.");
        }
    }
}
