using System.Net;
using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Transport;

/// <summary>Where a response to a received request goes (RFC 3261 §18.2.2 with RFC 3581 §4).</summary>
public static class ResponseRouting
{
    /// <summary>The port a sent-by without one stands for (RFC 3261 §18.2.2).</summary>
    public const int DefaultPort = 5060;

    /// <summary>The response target for a request the transport handed up (its top Via is already stamped).</summary>
    public static SipTarget GetResponseTarget(IncomingMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GetResponseTarget(request.Message?.TopVia, request.Source);
    }

    /// <summary>
    /// The response target from the request's top Via (after the transport stamped received/rport) and where the
    /// request came from:
    /// <list type="bullet">
    /// <item>reliable transport: back to the source, i.e. over the connection the request came on;</item>
    /// <item>rport with a value: received (or the source address) and that port;</item>
    /// <item>received: that address and the sent-by port (or 5060);</item>
    /// <item>otherwise the sent-by, when it is an IP literal, and its port (or 5060);</item>
    /// <item>otherwise (a host name; we do no DNS) or without a Via: the source.</item>
    /// </list>
    /// A Via <c>maddr</c> is ignored: RFC 3261 §18.2.2 would send the response to the multicast or other address it
    /// names, which lets a stranger point our responses at a third party (reflection, docs/security.md).
    /// </summary>
    public static SipTarget GetResponseTarget(ViaHeader? topVia, SipTarget source)
    {
        ArgumentNullException.ThrowIfNull(source.EndPoint);
        if (source.IsReliable || topVia is null)
        {
            return source;
        }

        // Port 0 cannot be sent to: a Via claiming it (PROTOS c07 case 452) is answered where the request came from.
        if (topVia.Port == 0)
        {
            return source;
        }

        var sentByPort = topVia.Port ?? DefaultPort;

        // maddr is deliberately not honoured (RFC 3261 §18.2.2 would send there): responses go to where the request
        // came from (received/rport), never to an address a stranger names. RFC 3581 §4 rport therefore always applies.
        if (topVia.Rport is { } rport and > 0 and <= IPEndPoint.MaxPort)
        {
            var address = SipEndPoints.TryParseLiteral(topVia.Received, out var r) ? r : SipEndPoints.Normalize(source.EndPoint.Address);
            return new SipTarget(source.Transport, new IPEndPoint(address, rport));
        }

        if (SipEndPoints.TryParseLiteral(topVia.Received, out var received))
        {
            return new SipTarget(source.Transport, new IPEndPoint(received, sentByPort));
        }

        if (SipEndPoints.TryParseLiteral(topVia.Host, out var host))
        {
            return new SipTarget(source.Transport, new IPEndPoint(host, sentByPort));
        }

        return source;
    }

    /// <summary>
    /// Where to open a new connection when a response cannot go back over the request's connection (RFC 3261 §18.2.2:
    /// "the server SHOULD open a connection to the IP address in the received parameter, if present, using the port in
    /// the sent-by value, or the default port 5060"): received, else a literal sent-by host, else the source address.
    /// Null for unreliable transports, which have no connection to lose.
    /// </summary>
    public static SipTarget? GetReliableFallbackTarget(ViaHeader? topVia, SipTarget source)
    {
        ArgumentNullException.ThrowIfNull(source.EndPoint);
        if (!source.IsReliable)
        {
            return null;
        }

        var port = topVia?.Port ?? DefaultPort;
        var address = SipEndPoints.TryParseLiteral(topVia?.Received, out var received)
            ? received
            : SipEndPoints.TryParseLiteral(topVia?.Host, out var host)
                ? host
                : SipEndPoints.Normalize(source.EndPoint.Address);
        return new SipTarget(source.Transport, new IPEndPoint(address, port));
    }
}
