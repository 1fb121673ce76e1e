using System.Net;
using GatewayAgent.Sip.Rtp;

namespace GatewayAgent.Sip.Sdp;

/// <summary>The outcome of an offer/answer exchange for the audio stream: what to send, where, and whether to.</summary>
/// <param name="MediaIndex">The index of the audio <c>m=</c> line in the offer and answer.</param>
/// <param name="Codec">The G.711 law chosen.</param>
/// <param name="PayloadType">The RTP payload type to send the codec with (0, 8, or a dynamic type mapped by rtpmap).</param>
/// <param name="TelephoneEventPayloadType">The payload type of RFC 4733 telephone-event, when both sides have it.</param>
/// <param name="RemoteEndpoint">Where to send RTP; <see langword="null"/> when the peer gave no usable address (e.g. a <c>0.0.0.0</c> hold).</param>
/// <param name="LocalDirection">Our direction: whether we may send and should expect to receive.</param>
/// <param name="RemotePtime">The packetization time the peer asked for, if it asked.</param>
public sealed record SdpNegotiatedAudio(
    int MediaIndex,
    G711Codec Codec,
    int PayloadType,
    int? TelephoneEventPayloadType,
    IPEndPoint? RemoteEndpoint,
    SdpDirection LocalDirection,
    int? RemotePtime)
{
    /// <summary>Whether we should send RTP: our direction allows it and we know where to.</summary>
    public bool ShouldSend => LocalDirection.Sends() && RemoteEndpoint is not null;
}
