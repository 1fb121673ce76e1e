using System.Net;

namespace GatewayAgent.Sip.Transport;

/// <summary>Where a message goes or came from: a transport and a remote IP endpoint.</summary>
public readonly record struct SipTarget(SipTransportKind Transport, IPEndPoint EndPoint)
{
    /// <summary>True for connection-oriented transports, where RFC 3261 §17 timers E/G/K/I are zero.</summary>
    public bool IsReliable => Transport != SipTransportKind.Udp;

    /// <summary>The transport token of a Via header ("UDP", "TCP").</summary>
    public string ViaTransport => Transport == SipTransportKind.Tcp ? "TCP" : "UDP";

    public override string ToString() => $"{Transport.ToString().ToLowerInvariant()}:{EndPoint}";
}
