namespace GatewayAgent.Sip.Transport;

/// <summary>The transports the stack speaks.</summary>
public enum SipTransportKind
{
    Udp,
    Tcp,
}
