using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.1 INVITE server transaction, with the Accepted state of RFC 6026 §7.1: after a 2xx it absorbs
/// INVITE retransmissions for Timer L (the TU retransmits the 2xx itself until the ACK, §13.3.1.4). The Accepted
/// state is kept by the layer as a compact record: this object ends when the 2xx is sent.
/// </summary>
public sealed class InviteServerTransaction : ServerTransaction
{
    private readonly TransactionTimer _timerG;
    private readonly TransactionTimer _timerH;
    private readonly TransactionTimer _timerI;
    private TimeSpan _gInterval;

    internal InviteServerTransaction(SipTransactionLayer layer, string key, IncomingMessage incoming, SipTarget responseTarget)
        : base(layer, key, incoming, responseTarget, TransactionState.Proceeding)
    {
        _timerG = new TransactionTimer(Time, OnTimerG);
        _timerH = new TransactionTimer(Time, OnTimerH);
        _timerI = new TransactionTimer(Time, OnTimerI);
    }

    /// <summary>Raised when no ACK came for a non-2xx final response within Timer H (RFC 3261 §17.2.1).</summary>
    public event Action<InviteServerTransaction>? AckTimeout;

    /// <summary>True once a CANCEL matched this transaction.</summary>
    public bool IsCancelled { get; internal set; }

    public override bool Respond(SipResponse response)
    {
        lock (Gate)
        {
            if (State != TransactionState.Proceeding)
            {
                return false;
            }

            LastResponse = response;
            Send(response);
            if (response.IsProvisional)
            {
                return true;
            }

            if (response.IsSuccess)
            {
                MoveTo(TransactionState.Accepted);
                Retire(null, null); // Timer L: retransmissions are absorbed, matching ACKs and CANCELs handled by the layer
            }
            else
            {
                MoveTo(TransactionState.Completed);
                if (!Reliable)
                {
                    _gInterval = Timers.T1;
                    _timerG.Start(_gInterval);
                }

                _timerH.Start(Timers.TransactionTimeout);
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

    /// <summary>An ACK matching this transaction (the ACK for a non-2xx final response).</summary>
    internal void OnAck()
    {
        lock (Gate)
        {
            if (State != TransactionState.Completed)
            {
                return;
            }

            MoveTo(TransactionState.Confirmed);
            _timerG.Stop();
            _timerH.Stop();
            if (Reliable)
            {
                MoveTo(TransactionState.Terminated);
            }
            else
            {
                _timerI.Start(Timers.T4); // Timer I
            }
        }
    }

    private void OnTimerG()
    {
        lock (Gate)
        {
            if (State != TransactionState.Completed || LastResponse is null)
            {
                return;
            }

            Send(LastResponse);
            _gInterval = _gInterval * 2 < Timers.T2 ? _gInterval * 2 : Timers.T2;
            _timerG.Start(_gInterval);
        }
    }

    private void OnTimerH()
    {
        lock (Gate)
        {
            if (State != TransactionState.Completed)
            {
                return;
            }

            MoveTo(TransactionState.Terminated);
        }

        AckTimeout?.Invoke(this);
    }

    private void OnTimerI()
    {
        lock (Gate)
        {
            MoveTo(TransactionState.Terminated);
        }
    }

    private protected override void StopTimers()
    {
        _timerG.Dispose();
        _timerH.Dispose();
        _timerI.Dispose();
    }
}
