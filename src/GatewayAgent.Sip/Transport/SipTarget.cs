using System.Net;

namespace GatewayAgent.Sip.Transport;

/// <summary>Where a message goes or came from: a transport and a remote IP endpoint.</summary>
public readonly record struct SipTarget(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>True for connection-oriented transports, where RFC 3261 §17 timers E/G/K/I are zero.</summary>
    public bool IsReliable => Transport != SipTransportKind.Udp;

    public override string ToString() => $"{Transport.ToString().ToLowerInvariant()}:{EndPoint}";
}
