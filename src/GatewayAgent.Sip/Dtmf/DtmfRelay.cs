using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Dtmf;

/// <summary>
/// The body of a SIP INFO with <c>Content-Type: application/dtmf-relay</c>, as phones and gateways send it (no RFC;
/// the de-facto Cisco format): lines <c>Signal=5</c> and <c>Duration=160</c> (milliseconds), CRLF or LF separated,
/// names case-insensitive, spaces around <c>=</c> allowed. Only <c>Signal</c> is required.
/// </summary>
public static class DtmfRelay
{
    /// <summary>The content type of such a body.</summary>
    public const string ContentType = "application/dtmf-relay";

    /// <summary>The longest body read; a longer one is refused (input from the network, bounded).</summary>
    public const int MaxBodyLength = 1024;

    /// <summary>
    /// Reads the key and the duration (null when absent) from a body; false, with the reason, when it names no DTMF key
    /// (missing or unknown <c>Signal</c>, a bad <c>Duration</c>, an oversized or non-text body).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out char key, out TimeSpan? duration, out string error)
    {
        key = default;
        duration = null;
        if (body.Length > MaxBodyLength)
        {
            error = "body too long";
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            error = "body is not UTF-8 text";
            return false;
        }

        char? signal = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"line without name=value: '{line}'";
                return false;
            }

            var name = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (name.Equals("Signal", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length != 1 || DtmfKeys.ToEvent(value[0]) is not { } code)
                {
                    error = $"Signal '{value}' is not a DTMF key";
                    return false;
                }

                signal = DtmfKeys.FromEvent(code);
            }
            else if (name.Equals("Duration", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds > 60_000)
                {
                    error = $"Duration '{value}' is not a number of milliseconds";
                    return false;
                }

                duration = TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (signal is not { } found)
        {
            error = "no Signal";
            return false;
        }

        key = found;
        error = "";
        return true;
    }
}
