using System.Globalization;

namespace GatewayAgent.Sip.Sdp;

/// <summary>One media description of an SDP body: the <c>m=</c> line and the lines that follow it (RFC 4566 §5.14).</summary>
public sealed record SdpMediaDescription
{
    /// <summary>The media type, e.g. <c>audio</c> or <c>video</c>.</summary>
    public required string Media { get; init; }

    /// <summary>The transport port; 0 means the stream is rejected or disabled (RFC 3264 §5.1, §6).</summary>
    public required int Port { get; init; }

    /// <summary>The <c>/count</c> after the port, when present.</summary>
    public int? PortCount { get; init; }

    /// <summary>The transport protocol, e.g. <c>RTP/AVP</c>.</summary>
    public required string Protocol { get; init; }

    /// <summary>The media formats; for RTP, payload type numbers in order of preference.</summary>
    public IReadOnlyList<string> Formats { get; init; } = [];

    /// <summary>The media-level <c>i=</c> line, if any.</summary>
    public string? Information { get; init; }

    /// <summary>The media-level <c>c=</c> line; when absent the session-level one applies.</summary>
    public SdpConnection? Connection { get; init; }

    /// <summary>The <c>b=</c> lines as written, e.g. <c>AS:64</c>.</summary>
    public IReadOnlyList<string> Bandwidths { get; init; } = [];

    /// <summary>The media-level attributes in order.</summary>
    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>Whether the port is 0: the stream is rejected (in an answer) or disabled (in an offer).</summary>
    public bool IsRejected => Port == 0;

    /// <summary>The media-level direction attribute, or <see langword="null"/> when none is given here.</summary>
    public SdpDirection? Direction => SdpDirectionExtensions.FromAttributes(Attributes);

    /// <summary>The <c>a=ptime</c> value in milliseconds, or <see langword="null"/> when absent or not a number.</summary>
    public int? Ptime =>
        int.TryParse(GetAttributeValue("ptime"), NumberStyles.None, CultureInfo.InvariantCulture, out var ptime) && ptime > 0
            ? ptime
            : null;

    /// <summary>Whether this is an RTP audio stream over plain <c>RTP/AVP</c>.</summary>
    public bool IsRtpAudio =>
        string.Equals(Media, "audio", StringComparison.OrdinalIgnoreCase)
        && string.Equals(Protocol, "RTP/AVP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of the first attribute of that name (case-insensitive), or <see langword="null"/>.</summary>
    public string? GetAttributeValue(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    /// <summary>The <c>a=rtpmap</c> for a payload type, or <see langword="null"/> when the stream has none for it.</summary>
    public SdpRtpMap? GetRtpMap(int payloadType)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Name, "rtpmap", StringComparison.OrdinalIgnoreCase)
                && SdpRtpMap.TryParse(attribute.Value, out var rtpMap)
                && rtpMap.PayloadType == payloadType)
            {
                return rtpMap;
            }
        }

        return null;
    }

    /// <summary>The <c>a=fmtp</c> parameters for a payload type (the text after the number), or <see langword="null"/>.</summary>
    public string? GetFormatParameters(int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture);
        foreach (var attribute in Attributes)
        {
            if (!string.Equals(attribute.Name, "fmtp", StringComparison.OrdinalIgnoreCase) || attribute.Value is null)
            {
                continue;
            }

            var value = attribute.Value.AsSpan().TrimStart();
            if (value.StartsWith(prefix, StringComparison.Ordinal)
                && value.Length > prefix.Length
                && value[prefix.Length] == ' ')
            {
                return value[(prefix.Length + 1)..].Trim().ToString();
            }
        }

        return null;
    }

    /// <summary>The RTP payload types of <see cref="Formats"/> that are numbers 0–127, in order.</summary>
    public IEnumerable<int> GetPayloadTypes()
    {
        foreach (var format in Formats)
        {
            if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType) && payloadType <= 127)
            {
                yield return payloadType;
            }
        }
    }
}
