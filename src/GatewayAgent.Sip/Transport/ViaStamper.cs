using System.Globalization;
using System.Net;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Transport;

/// <summary>Marks a received request's top Via with where it really came from (RFC 3261 §18.2.1, RFC 3581 §4).</summary>
internal static class ViaStamper
{
    /// <summary>
    /// Adds received=&lt;source address&gt; when the sent-by host is not that address (always when rport is present),
    /// and fills an empty rport with the source port. Only the first Via value is rewritten; the others stay as
    /// received. Returns false when nothing changed (no Via, a Via that does not parse, or nothing to add).
    /// </summary>
    public static bool Stamp(SipRequest request, IPEndPoint source)
    {
        var raw = request.Headers[HeaderNames.Via];
        if (raw is null || !ViaHeader.TryParse(raw, out var via))
        {
            return false;
        }

        var sourceAddress = SipEndPoints.Normalize(source.Address);
        var changed = false;
        var sentByMatches = SipEndPoints.TryParseLiteral(via.Host, out var host) && SipEndPoints.SameAddress(host, sourceAddress);
        if (via.HasRport || !sentByMatches)
        {
            var received = SipEndPoints.FormatForVia(sourceAddress);
            if (via.Received != received)
            {
                via.Received = received;
                changed = true;
            }
        }

        if (via.HasRport && string.IsNullOrEmpty(via.Parameters["rport"]))
        {
            via.Parameters.Set("rport", source.Port.ToString(CultureInfo.InvariantCulture));
            changed = true;
        }

        if (!changed)
        {
            return false;
        }

        // Set keeps a lone Via in its place; with several, the new top goes back in front of the (untouched) second.
        if (request.Headers.CountOf(HeaderNames.Via) == 1)
        {
            request.Headers.Set(HeaderNames.Via, via.ToString());
        }
        else
        {
            request.Headers.RemoveFirst(HeaderNames.Via);
            request.Headers.AddFirst(HeaderNames.Via, via.ToString());
        }

        return true;
    }
}
