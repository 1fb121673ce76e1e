using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.2 non-INVITE server transaction. Its Completed state (resend the final response on every
/// retransmission until Timer J) is kept by the layer as a compact record: this object ends when the final response
/// is sent.
/// </summary>
public sealed class NonInviteServerTransaction : ServerTransaction
{
    internal NonInviteServerTransaction(SipTransactionLayer layer, string key, IncomingMessage incoming, SipTarget responseTarget)
        : base(layer, key, incoming, responseTarget, TransactionState.Trying)
    {
    }

    public override bool Respond(SipResponse response)
    {
        lock (Gate)
        {
            if (State is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return false;
            }

            LastResponse = response;
            if (response.IsProvisional)
            {
                Send(response);
                MoveTo(TransactionState.Proceeding);
                return true;
            }

            var bytes = response.ToBytes();
            Send(bytes);
            MoveTo(TransactionState.Completed);
            if (Reliable)
            {
                MoveTo(TransactionState.Terminated);
            }
            else
            {
                Retire(response, bytes); // Timer J
            }

            return true;
        }
    }

    internal override void OnRetransmission(IncomingMessage message)
    {
        lock (Gate)
        {
            if (State is TransactionState.Proceeding or TransactionState.Completed && LastResponse is not null)
            {
                Send(LastResponse);
            }
        }
    }

    private protected override void StopTimers()
    {
    }
}
