using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Sip.Sdp;

/// <summary>What <see cref="SdpAnswerer"/> made of an offer: an answer and the negotiated audio, or a reason to answer 488.</summary>
public sealed class SdpAnswerResult
{
    private SdpAnswerResult(SdpSession? answer, SdpNegotiatedAudio? audio, string? reason)
    {
        Answer = answer;
        Audio = audio;
        Reason = reason;
    }

    /// <summary>Whether the offer is acceptable; when false the caller answers 488 Not Acceptable Here.</summary>
    [MemberNotNullWhen(true, nameof(Answer), nameof(Audio))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsAccepted => Answer is not null;

    /// <summary>The answer to send, with the same number of media lines as the offer.</summary>
    public SdpSession? Answer { get; }

    /// <summary>The negotiated audio stream.</summary>
    public SdpNegotiatedAudio? Audio { get; }

    /// <summary>Why the offer is not acceptable, for logs and a Warning header.</summary>
    public string? Reason { get; }

    internal static SdpAnswerResult Accepted(SdpSession answer, SdpNegotiatedAudio audio) => new(answer, audio, null);

    internal static SdpAnswerResult NotAcceptable(string reason) => new(null, null, reason);
}
