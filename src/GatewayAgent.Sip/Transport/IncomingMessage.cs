using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// A message as the transport layer hands it up: the parse result, where it came from and on which local endpoint.
/// For a request the transport has already stamped the top Via with received/rport (RFC 3261 §18.2.1, RFC 3581).
/// </summary>
public sealed class IncomingMessage
{
    public IncomingMessage(SipParseResult parse, SipTarget source, IPEndPoint localEndPoint)
    {
        Parse = parse;
        Source = source;
        LocalEndPoint = localEndPoint;
    }

    public SipParseResult Parse { get; }

    /// <summary>The message; null when the bytes were unparseable (such messages are normally counted and dropped below).</summary>
    public SipMessage? Message => Parse.Message;

    public SipTarget Source { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The message's size on the wire, in bytes (held against the transaction layer's byte budget).</summary>
    public int ByteCount { get; init; }
}
