using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.1.2 non-INVITE client transaction (Timers E, F, K). Its Completed state (Timer K, over UDP) is kept by
/// the layer as a compact record that absorbs retransmitted final responses: this object ends with the final response.
/// </summary>
public sealed class NonInviteClientTransaction : ClientTransaction
{
    private readonly TransactionTimer _timerE;
    private readonly TransactionTimer _timerF;
    private TimeSpan _eInterval;

    internal NonInviteClientTransaction(SipTransactionLayer layer, string key, SipRequest request, SipTarget target)
        : base(layer, key, request, target, TransactionState.Trying)
    {
        _timerE = new TransactionTimer(Time, OnTimerE);
        _timerF = new TransactionTimer(Time, OnTimerF);
    }

    internal override void Start()
    {
        lock (Gate)
        {
            Send(Request);
            if (!Reliable)
            {
                _eInterval = Timers.T1;
                _timerE.Start(_eInterval);
            }

            _timerF.Start(Timers.TransactionTimeout);
        }
    }

    internal override void OnResponse(SipResponse response)
    {
        lock (Gate)
        {
            if (State is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return; // retransmitted final responses are absorbed in Completed
            }

            if (response.IsProvisional)
            {
                MoveTo(TransactionState.Proceeding);
            }
            else
            {
                _timerE.Stop();
                _timerF.Stop();
                MoveTo(TransactionState.Completed);
                if (!Reliable)
                {
                    // Completed lasts Timer K (T4) as a compact record in the layer, which absorbs the retransmissions.
                    Layer.RetireCompleted(this);
                }

                MoveTo(TransactionState.Terminated);
            }
        }

        if (response.IsProvisional)
        {
            RaiseProvisional(response);
        }
        else
        {
            Complete(new ClientTransactionResult(ClientTransactionOutcome.Response, response));
        }
    }

    private void OnTimerE()
    {
        lock (Gate)
        {
            if (State is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }

            Send(Request);
            // In Trying the interval doubles up to T2; in Proceeding it is T2 (§17.1.2.2).
            _eInterval = State == TransactionState.Proceeding ? Timers.T2 : (_eInterval * 2 < Timers.T2 ? _eInterval * 2 : Timers.T2);
            _timerE.Start(_eInterval);
        }
    }

    private void OnTimerF()
    {
        lock (Gate)
        {
            if (State is not (TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }

            MoveTo(TransactionState.Terminated);
        }

        Complete(new ClientTransactionResult(ClientTransactionOutcome.Timeout, null, "Timer F"));
    }

    private protected override void StopTimers()
    {
        _timerE.Dispose();
        _timerF.Dispose();
    }
}
