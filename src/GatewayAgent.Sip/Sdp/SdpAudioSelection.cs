using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Sdp;

/// <summary>Finds the first RTP/AVP audio stream that carries G.711, the one stream this gateway takes part in.</summary>
internal static class SdpAudioSelection
{
    /// <summary>The stream found and what it offers.</summary>
    internal sealed record Choice(
        int MediaIndex,
        SdpMediaDescription Media,
        G711Codec Codec,
        int PayloadType,
        int? TelephoneEventPayloadType,
        string? TelephoneEventParameters);

    /// <summary>The first enabled RTP/AVP audio stream listing PCMU or PCMA, choosing the first of those in its order.</summary>
    public static Choice? FindFirstG711Audio(SdpSession session)
    {
        for (var index = 0; index < session.MediaDescriptions.Count; index++)
        {
            var media = session.MediaDescriptions[index];
            if (media.IsRejected || !media.IsRtpAudio || !TryChooseCodec(media, out var codec, out var payloadType))
            {
                continue;
            }

            var telephoneEvent = FindTelephoneEvent(media);
            return new Choice(
                index,
                media,
                codec,
                payloadType,
                telephoneEvent,
                telephoneEvent is { } pt ? media.GetFormatParameters(pt) : null);
        }

        return null;
    }

    private static bool TryChooseCodec(SdpMediaDescription media, out G711Codec codec, out int payloadType)
    {
        foreach (var candidate in media.GetPayloadTypes())
        {
            if (media.GetRtpMap(candidate) is { } rtpMap)
            {
                // An rtpmap names the encoding, on a static type or a dynamic one (RFC 3264 §5.1).
                if (rtpMap.ClockRate != 8000 || rtpMap.EncodingParameters is not (null or "1"))
                {
                    continue;
                }

                if (rtpMap.IsEncoding("PCMU"))
                {
                    (codec, payloadType) = (G711Codec.Pcmu, candidate);
                    return true;
                }

                if (rtpMap.IsEncoding("PCMA"))
                {
                    (codec, payloadType) = (G711Codec.Pcma, candidate);
                    return true;
                }
            }
            else if (candidate is 0 or 8)
            {
                // Static payload types of RFC 3551 need no rtpmap.
                (codec, payloadType) = ((G711Codec)candidate, candidate);
                return true;
            }
        }

        (codec, payloadType) = (default, -1);
        return false;
    }

    private static int? FindTelephoneEvent(SdpMediaDescription media)
    {
        foreach (var candidate in media.GetPayloadTypes())
        {
            if (media.GetRtpMap(candidate) is { ClockRate: 8000 } rtpMap && rtpMap.IsEncoding("telephone-event"))
            {
                return candidate;
            }
        }

        return null;
    }
}
