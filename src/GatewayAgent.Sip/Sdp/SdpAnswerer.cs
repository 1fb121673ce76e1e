using System.Globalization;
using System.Net;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Sdp;

/// <summary>
/// Answers an SDP offer (RFC 3264 §6): accepts the first audio stream offering PCMU or PCMA, keeps telephone-event,
/// mirrors the direction, and rejects every other stream with port 0.
/// </summary>
public static class SdpAnswerer
{
    /// <summary>The packetization time we send and ask for, in milliseconds.</summary>
    public const int PtimeMilliseconds = 20;

    /// <summary>Answers an offer still in its message-body form; a malformed body is not acceptable.</summary>
    public static SdpAnswerResult CreateAnswer(
        ReadOnlySpan<byte> offerBody, SdpSessionOrigin origin, IPAddress localAddress, int rtpPort)
    {
        if (!SdpParser.TryParse(offerBody, out var offer, out var error))
        {
            return SdpAnswerResult.NotAcceptable($"malformed SDP offer: {error}");
        }

        return CreateAnswer(offer, origin, localAddress, rtpPort);
    }

    /// <summary>Answers a parsed offer.</summary>
    /// <param name="offer">The remote offer.</param>
    /// <param name="origin">Our origin for this call; stamps the answer's <c>o=</c> line.</param>
    /// <param name="localAddress">The address we receive RTP on; IPv4 gives <c>IN IP4</c>, IPv6 <c>IN IP6</c>.</param>
    /// <param name="rtpPort">The even port we receive RTP on.</param>
    public static SdpAnswerResult CreateAnswer(
        SdpSession offer, SdpSessionOrigin origin, IPAddress localAddress, int rtpPort)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(rtpPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtpPort, IPEndPoint.MaxPort);

        if (offer.MediaDescriptions.Count == 0)
        {
            return SdpAnswerResult.NotAcceptable("the offer has no media stream");
        }

        if (SdpAudioSelection.FindFirstG711Audio(offer) is not { } choice)
        {
            return SdpAnswerResult.NotAcceptable("no audio stream offers PCMU or PCMA over RTP/AVP");
        }

        if (offer.GetConnection(choice.Media) is null)
        {
            return SdpAnswerResult.NotAcceptable("the audio stream has no c= line at media or session level");
        }

        var localDirection = offer.GetDirection(choice.Media).Reverse();
        var media = new List<SdpMediaDescription>(offer.MediaDescriptions.Count);
        for (var index = 0; index < offer.MediaDescriptions.Count; index++)
        {
            media.Add(index == choice.MediaIndex
                ? AcceptedAudio(choice, rtpPort, localDirection)
                : Rejected(offer.MediaDescriptions[index]));
        }

        var answer = origin.Stamp(new SdpSession
        {
            Origin = origin.Current,
            SessionName = "-",
            Connection = SdpConnection.FromIPAddress(localAddress),
            Timings = offer.Timings, // RFC 3264 §6: the t= line of the answer equals the offer's
            MediaDescriptions = media,
        });

        var audio = new SdpNegotiatedAudio(
            choice.MediaIndex,
            choice.Codec,
            choice.PayloadType,
            choice.TelephoneEventPayloadType,
            offer.GetRtpEndpoint(choice.Media),
            localDirection,
            choice.Media.Ptime);
        return SdpAnswerResult.Accepted(answer, audio);
    }

    private static SdpMediaDescription AcceptedAudio(
        SdpAudioSelection.Choice choice, int rtpPort, SdpDirection localDirection)
    {
        var formats = new List<string> { choice.PayloadType.ToString(CultureInfo.InvariantCulture) };
        var attributes = new List<SdpAttribute>
        {
            new("rtpmap", new SdpRtpMap(choice.PayloadType, EncodingName(choice.Codec), 8000).ToString()),
        };

        if (choice.TelephoneEventPayloadType is { } eventType)
        {
            formats.Add(eventType.ToString(CultureInfo.InvariantCulture));
            attributes.Add(new("rtpmap", new SdpRtpMap(eventType, "telephone-event", 8000).ToString()));
            if (choice.TelephoneEventParameters is { } parameters)
            {
                attributes.Add(new("fmtp", string.Create(CultureInfo.InvariantCulture, $"{eventType} {parameters}")));
            }
        }

        attributes.Add(new("ptime", PtimeMilliseconds.ToString(CultureInfo.InvariantCulture)));
        attributes.Add(new(localDirection.ToAttributeName()));
        return new SdpMediaDescription
        {
            Media = choice.Media.Media,
            Port = rtpPort,
            Protocol = choice.Media.Protocol,
            Formats = formats,
            Attributes = attributes,
        };
    }

    // RFC 3264 §6: a rejected stream keeps its media type and transport, port 0, and at least one format.
    private static SdpMediaDescription Rejected(SdpMediaDescription offered) => new()
    {
        Media = offered.Media,
        Port = 0,
        Protocol = offered.Protocol,
        Formats = offered.Formats.Count > 0 ? [offered.Formats[0]] : ["0"],
    };

    internal static string EncodingName(G711Codec codec) => codec == G711Codec.Pcma ? "PCMA" : "PCMU";
}
