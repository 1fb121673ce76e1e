namespace GatewayAgent.Sip.Transport;

/// <summary>A message could not be sent: the transaction layer reports it as a transport error (RFC 3261 §8.1.3.1).</summary>
public sealed class SipTransportException : Exception
{
    public SipTransportException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
