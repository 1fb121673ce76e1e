using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace GatewayAgent.Sip.Sdp;

/// <summary>The value of an <c>a=rtpmap:</c> attribute: payload type to encoding name and clock rate (RFC 4566 §6).</summary>
/// <param name="PayloadType">The RTP payload type, 0–127.</param>
/// <param name="EncodingName">The encoding, e.g. <c>PCMU</c> or <c>telephone-event</c>.</param>
/// <param name="ClockRate">The RTP clock rate in Hz.</param>
/// <param name="EncodingParameters">For audio, the channel count, or <see langword="null"/>.</param>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, string? EncodingParameters = null)
{
    /// <summary>Parses <c>96 telephone-event/8000</c> or <c>0 PCMU/8000/1</c>; never throws.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var trimmed = value.AsSpan().Trim();
        var space = trimmed.IndexOf(' ');
        if (space <= 0
            || !int.TryParse(trimmed[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var payloadType)
            || payloadType > 127)
        {
            return false;
        }

        var encoding = trimmed[(space + 1)..].Trim();
        var firstSlash = encoding.IndexOf('/');
        if (firstSlash <= 0)
        {
            return false;
        }

        var name = encoding[..firstSlash];
        var rest = encoding[(firstSlash + 1)..];
        string? parameters = null;
        var secondSlash = rest.IndexOf('/');
        if (secondSlash >= 0)
        {
            parameters = rest[(secondSlash + 1)..].ToString();
            rest = rest[..secondSlash];
        }

        if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var clockRate) || clockRate <= 0)
        {
            return false;
        }

        rtpMap = new SdpRtpMap(payloadType, name.ToString(), clockRate, parameters);
        return true;
    }

    /// <summary>Whether this maps the given encoding name, compared case-insensitively as RFC 4855 requires.</summary>
    public bool IsEncoding(string encodingName) =>
        string.Equals(EncodingName, encodingName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The attribute value as it appears after <c>a=rtpmap:</c>.</summary>
    public override string ToString() => EncodingParameters is null
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}/{EncodingParameters}");
}
