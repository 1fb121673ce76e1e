using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>RFC 3261 §17.2.2 non-INVITE server transaction.</summary>
public sealed class NonInviteServerTransaction : ServerTransaction
{
    private readonly TransactionTimer _timerJ;

    internal NonInviteServerTransaction(SipTransactionLayer layer, string key, IncomingMessage incoming, SipTarget responseTarget)
        : base(layer, key, incoming, responseTarget, TransactionState.Trying)
    {
        _timerJ = new TransactionTimer(Time, OnTimerJ);
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
            Send(response);
            if (response.IsProvisional)
            {
                MoveTo(TransactionState.Proceeding);
                return true;
            }

            MoveTo(TransactionState.Completed);
            if (Reliable)
            {
                MoveTo(TransactionState.Terminated);
            }
            else
            {
                _timerJ.Start(Timers.TransactionTimeout);
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

    private void OnTimerJ()
    {
        lock (Gate)
        {
            MoveTo(TransactionState.Terminated);
        }
    }

    private protected override void StopTimers() => _timerJ.Dispose();
}
