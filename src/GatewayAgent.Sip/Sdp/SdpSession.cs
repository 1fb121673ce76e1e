using System.Net;

namespace GatewayAgent.Sip.Sdp;

/// <summary>
/// A session description (RFC 4566): the session-level lines and the media descriptions.
/// Immutable; build variants with <c>with</c>. Lists compare by reference, so compare serialized text instead.
/// </summary>
public sealed record SdpSession
{
    /// <summary>The <c>o=</c> line.</summary>
    public required SdpOrigin Origin { get; init; }

    /// <summary>The <c>s=</c> line; <c>-</c> when the session has no name.</summary>
    public string SessionName { get; init; } = "-";

    /// <summary>The session-level <c>i=</c> line, if any.</summary>
    public string? Information { get; init; }

    /// <summary>The session-level <c>c=</c> line; media without their own use it.</summary>
    public SdpConnection? Connection { get; init; }

    /// <summary>The session-level <c>b=</c> lines as written.</summary>
    public IReadOnlyList<string> Bandwidths { get; init; } = [];

    /// <summary>The <c>t=</c> lines; a SIP session has one, <c>0 0</c>.</summary>
    public IReadOnlyList<SdpTiming> Timings { get; init; } = [SdpTiming.Unbounded];

    /// <summary>The session-level attributes in order.</summary>
    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>The media descriptions (<c>m=</c> sections) in order.</summary>
    public IReadOnlyList<SdpMediaDescription> MediaDescriptions { get; init; } = [];

    /// <summary>The connection that applies to a stream: its own <c>c=</c>, else the session's.</summary>
    public SdpConnection? GetConnection(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Connection ?? Connection;
    }

    /// <summary>The direction of a stream: its own attribute, else the session-level one, else sendrecv.</summary>
    public SdpDirection GetDirection(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Direction ?? SdpDirectionExtensions.FromAttributes(Attributes) ?? SdpDirection.SendRecv;
    }

    /// <summary>
    /// Where to send RTP for a stream: its connection address and port. <see langword="null"/> when the port is 0,
    /// the address is not an IP literal, or the address is unspecified (<c>0.0.0.0</c>, the RFC 2543 hold).
    /// </summary>
    public IPEndPoint? GetRtpEndpoint(SdpMediaDescription media)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (media.Port is <= 0 or > IPEndPoint.MaxPort
            || GetConnection(media) is not { } connection
            || !connection.TryGetIPAddress(out var address)
            || address.Equals(IPAddress.Any)
            || address.Equals(IPAddress.IPv6Any))
        {
            return null;
        }

        return new IPEndPoint(address, media.Port);
    }

    /// <summary>The description as SDP text with CRLF line ends.</summary>
    public override string ToString() => SdpSerializer.Serialize(this);
}
