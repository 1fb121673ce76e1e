using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Sdp;

/// <summary>Writes an <see cref="SdpSession"/> as SDP text in the line order RFC 4566 §5 prescribes, CRLF line ends.</summary>
public static class SdpSerializer
{
    /// <summary>The description as SDP text.</summary>
    public static string Serialize(SdpSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var text = new StringBuilder(256);
        Line(text, 'v', "0");
        Line(text, 'o', session.Origin.ToString());
        Line(text, 's', session.SessionName.Length == 0 ? "-" : session.SessionName);
        if (session.Information is not null)
        {
            Line(text, 'i', session.Information);
        }

        if (session.Connection is not null)
        {
            Line(text, 'c', session.Connection.ToString());
        }

        foreach (var bandwidth in session.Bandwidths)
        {
            Line(text, 'b', bandwidth);
        }

        if (session.Timings.Count == 0)
        {
            Line(text, 't', SdpTiming.Unbounded.ToString());
        }

        foreach (var timing in session.Timings)
        {
            Line(text, 't', timing.ToString());
        }

        foreach (var attribute in session.Attributes)
        {
            Line(text, 'a', attribute.ToString());
        }

        foreach (var media in session.MediaDescriptions)
        {
            var m = new StringBuilder(64);
            m.Append(media.Media).Append(' ').Append(media.Port.ToString(CultureInfo.InvariantCulture));
            if (media.PortCount is { } count)
            {
                m.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
            }

            m.Append(' ').Append(media.Protocol);
            foreach (var format in media.Formats)
            {
                m.Append(' ').Append(format);
            }

            Line(text, 'm', m.ToString());
            if (media.Information is not null)
            {
                Line(text, 'i', media.Information);
            }

            if (media.Connection is not null)
            {
                Line(text, 'c', media.Connection.ToString());
            }

            foreach (var bandwidth in media.Bandwidths)
            {
                Line(text, 'b', bandwidth);
            }

            foreach (var attribute in media.Attributes)
            {
                Line(text, 'a', attribute.ToString());
            }
        }

        return text.ToString();
    }

    /// <summary>The description as UTF-8 bytes, ready for a message body with <c>Content-Type: application/sdp</c>.</summary>
    public static byte[] SerializeToUtf8(SdpSession session) => Encoding.UTF8.GetBytes(Serialize(session));

    private static void Line(StringBuilder text, char type, string value) =>
        text.Append(type).Append('=').Append(value).Append("\r\n");
}
