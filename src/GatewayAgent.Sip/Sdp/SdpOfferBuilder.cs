using System.Globalization;
using System.Net;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Sdp;

/// <summary>Builds our offer as a UAC: one audio stream with PCMU, PCMA, telephone-event 101, ptime 20.</summary>
public static class SdpOfferBuilder
{
    /// <summary>The dynamic payload type we offer RFC 4733 telephone-event on.</summary>
    public const int TelephoneEventPayloadType = 101;

    private static readonly IReadOnlyList<G711Codec> DefaultCodecs = [G711Codec.Pcmu, G711Codec.Pcma];

    /// <summary>Builds an offer stamped with our origin (a changed re-offer gets the next version).</summary>
    /// <param name="origin">Our origin for this call.</param>
    /// <param name="localAddress">The address we receive RTP on.</param>
    /// <param name="rtpPort">The even port we receive RTP on.</param>
    /// <param name="direction">Our direction; <see cref="SdpDirection.SendOnly"/> puts the peer on hold.</param>
    /// <param name="codecs">The G.711 laws in order of preference; PCMU then PCMA by default.</param>
    public static SdpSession CreateOffer(
        SdpSessionOrigin origin,
        IPAddress localAddress,
        int rtpPort,
        SdpDirection direction = SdpDirection.SendRecv,
        IReadOnlyList<G711Codec>? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentOutOfRangeException.ThrowIfLessThan(rtpPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtpPort, IPEndPoint.MaxPort);
        codecs ??= DefaultCodecs;
        if (codecs.Count == 0)
        {
            throw new ArgumentException("Offer at least one codec.", nameof(codecs));
        }

        var formats = new List<string>();
        var attributes = new List<SdpAttribute>();
        foreach (var codec in codecs.Distinct())
        {
            var payloadType = (int)codec;
            formats.Add(payloadType.ToString(CultureInfo.InvariantCulture));
            attributes.Add(new("rtpmap", new SdpRtpMap(payloadType, SdpAnswerer.EncodingName(codec), 8000).ToString()));
        }

        var eventType = TelephoneEventPayloadType.ToString(CultureInfo.InvariantCulture);
        formats.Add(eventType);
        attributes.Add(new("rtpmap", new SdpRtpMap(TelephoneEventPayloadType, "telephone-event", 8000).ToString()));
        attributes.Add(new("fmtp", $"{eventType} 0-16"));
        attributes.Add(new("ptime", SdpAnswerer.PtimeMilliseconds.ToString(CultureInfo.InvariantCulture)));
        attributes.Add(new(direction.ToAttributeName()));

        return origin.Stamp(new SdpSession
        {
            Origin = origin.Current,
            SessionName = "-",
            Connection = SdpConnection.FromIPAddress(localAddress),
            MediaDescriptions =
            [
                new SdpMediaDescription
                {
                    Media = "audio",
                    Port = rtpPort,
                    Protocol = "RTP/AVP",
                    Formats = formats,
                    Attributes = attributes,
                },
            ],
        });
    }
}
