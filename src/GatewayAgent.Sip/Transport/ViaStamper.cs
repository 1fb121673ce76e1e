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
        // The top Via the parser's validator already parsed, when every Via parsed (then the first is the top one);
        // else the raw top value, parsed here.
        ViaHeader? via;
        var cached = request.Vias.Count > 0 && request.Vias.Count == request.Headers.CountOf(HeaderNames.Via);
        if (cached)
        {
            via = request.Vias[0];
        }
        else if (request.Headers[HeaderNames.Via] is not { } raw || !ViaHeader.TryParse(raw, out via))
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

        if (cached)
        {
            request.RewriteTopVia(); // the cached top Via, changed above, written back; From, To, CSeq stay parsed
        }
        else
        {
            SipMessage.WriteTopVia(request.Headers, via);
        }

        return true;
    }
}
