using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>The transaction user (a UAS/UAC core): what the transaction layer hands up.</summary>
public interface ISipTransactionUser
{
    /// <summary>A new request with its server transaction (a CANCEL carries the INVITE it matched, if any).</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK that matched no server transaction: the ACK for a 2xx, which belongs to the dialog (§13.3.1.4).</summary>
    void OnAck(IncomingMessage ack);

    /// <summary>A response that matched no client transaction (for example a retransmitted 2xx to re-ACK).</summary>
    void OnStrayResponse(IncomingMessage response);
}
