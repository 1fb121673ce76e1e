using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Transport;

/// <summary>What protocol code (transactions, user agents) sends through; the transport layer implements it.</summary>
public interface ISipMessageSender
{
    /// <summary>Serializes and sends a message. On TCP an open connection to the target is reused, or one is opened.</summary>
    /// <exception cref="SipTransportException">the message could not be sent (connection refused, no route...).</exception>
    ValueTask SendAsync(SipMessage message, SipTarget target, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a message already serialized (a completed transaction's response kept as bytes, resent on a
    /// retransmission without being built again).
    /// </summary>
    /// <exception cref="SipTransportException">the message could not be sent.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, SipTarget target, CancellationToken cancellationToken = default);

    /// <summary>The local address and port to put in a Via sent-by or a Contact for messages sent to <paramref name="target"/>.</summary>
    System.Net.IPEndPoint GetLocalEndPoint(SipTarget target);
}
