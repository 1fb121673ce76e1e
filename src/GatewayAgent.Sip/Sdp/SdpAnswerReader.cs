using System.Diagnostics.CodeAnalysis;

namespace GatewayAgent.Sip.Sdp;

/// <summary>Reads the peer's answer to our offer (the UAC side): which G.711 law it took and where to send RTP.</summary>
public static class SdpAnswerReader
{
    /// <summary>Reads an answer still in its message-body form; never throws.</summary>
    public static bool TryRead(
        ReadOnlySpan<byte> answerBody,
        [NotNullWhen(true)] out SdpNegotiatedAudio? audio,
        [NotNullWhen(false)] out string? error)
    {
        audio = null;
        if (!SdpParser.TryParse(answerBody, out var answer, out var parseError))
        {
            error = $"malformed SDP answer: {parseError}";
            return false;
        }

        return TryRead(answer, out audio, out error);
    }

    /// <summary>Reads a parsed answer: the first accepted audio stream with PCMU or PCMA; our direction mirrors the peer's.</summary>
    public static bool TryRead(
        SdpSession answer,
        [NotNullWhen(true)] out SdpNegotiatedAudio? audio,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(answer);
        audio = null;
        if (SdpAudioSelection.FindFirstG711Audio(answer) is not { } choice)
        {
            error = "the answer accepts no audio stream with PCMU or PCMA";
            return false;
        }

        audio = new SdpNegotiatedAudio(
            choice.MediaIndex,
            choice.Codec,
            choice.PayloadType,
            choice.TelephoneEventPayloadType,
            answer.GetRtpEndpoint(choice.Media),
            answer.GetDirection(choice.Media).Reverse(),
            choice.Media.Ptime);
        error = null;
        return true;
    }
}
