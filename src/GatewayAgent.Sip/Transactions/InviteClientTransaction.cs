using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.1.1 INVITE client transaction, with RFC 6026's Accepted state (Timer M): 2xx retransmissions and
/// forked 2xx go to the TU, which ACKs each; the transaction itself ACKs only non-2xx finals. The Accepted state is
/// kept by the layer as a compact record (a skeleton of the request, the peer and the TU's <see cref="Success"/> handler
/// until Timer M): this object ends when the first 2xx has been handed up.
/// </summary>
public sealed class InviteClientTransaction : ClientTransaction
{
    private readonly TransactionTimer _timerA;
    private readonly TransactionTimer _timerB;
    private readonly TransactionTimer _timerDorM;
    private TimeSpan _aInterval;
    private SipRequest? _ack;

    internal InviteClientTransaction(SipTransactionLayer layer, string key, SipRequest request, SipTarget target)
        : base(layer, key, request, target, TransactionState.Calling)
    {
        _timerA = new TransactionTimer(Time, OnTimerA);
        _timerB = new TransactionTimer(Time, OnTimerB);
        _timerDorM = new TransactionTimer(Time, OnTimerDorM);
    }

    /// <summary>Raised for every 2xx (the first and any retransmission or fork); the TU must ACK each (§13.2.2.4).</summary>
    public event InviteSuccessHandler? Success;

    internal override void Start()
    {
        lock (Gate)
        {
            Send(Request);
            if (!Reliable)
            {
                _aInterval = Timers.T1;
                _timerA.Start(_aInterval);
            }

            _timerB.Start(Timers.TransactionTimeout);
        }
    }

    internal override void OnResponse(SipResponse response)
    {
        var complete = false;
        var success = false;
        var accepted = false;
        lock (Gate)
        {
            switch (State)
            {
                case TransactionState.Calling or TransactionState.Proceeding when response.IsProvisional:
                    MoveTo(TransactionState.Proceeding);
                    _timerA.Stop();
                    break;
                case TransactionState.Calling or TransactionState.Proceeding when response.IsSuccess:
                    _timerA.Stop();
                    _timerB.Stop();
                    MoveTo(TransactionState.Accepted); // Timer M runs in the layer's record (RetireAccepted below)
                    complete = success = accepted = true;
                    break;
                case TransactionState.Calling or TransactionState.Proceeding:
                    _timerA.Stop();
                    _timerB.Stop();
                    _ack = CreateAck(response);
                    Send(_ack);
                    MoveTo(TransactionState.Completed);
                    var d = SipTimerOptions.TimerD(Reliable);
                    if (d == TimeSpan.Zero)
                    {
                        MoveTo(TransactionState.Terminated);
                    }
                    else
                    {
                        _timerDorM.Start(d);
                    }

                    complete = true;
                    break;
                case TransactionState.Accepted when response.IsSuccess:
                    success = true;
                    break;
                case TransactionState.Completed when response.IsFinal && _ack is not null:
                    Send(_ack); // a retransmitted final response gets the ACK again
                    return;
                default:
                    return;
            }
        }

        if (response.IsProvisional)
        {
            RaiseProvisional(response);
            return;
        }

        // The TU ACKs a 2xx in its Success handler before the completion wakes it (to send BYE, say): the ACK must not
        // trail a BYE that a thread woken by the completion could send first.
        if (success)
        {
            Success?.Invoke(response, Request, Peer);
        }

        if (complete)
        {
            Complete(new ClientTransactionResult(ClientTransactionOutcome.Response, response));
        }

        if (accepted)
        {
            Layer.RetireAccepted(this, Success);
            lock (Gate)
            {
                MoveTo(TransactionState.Terminated);
            }
        }
    }

    /// <summary>The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same branch, the response's To.</summary>
    private SipRequest CreateAck(SipResponse response)
    {
        var ack = new SipRequest(SipMethods.Ack, Request.RequestUri);
        ack.Headers.Add(HeaderNames.Via, Request.Headers[HeaderNames.Via]!);
        ack.Headers.Add(HeaderNames.MaxForwards, "70");
        ack.Headers.CopyFrom(Request.Headers, HeaderNames.Route);
        ack.Headers.Add(HeaderNames.From, Request.Headers[HeaderNames.From]!);
        ack.Headers.Add(HeaderNames.To, response.Headers[HeaderNames.To] ?? Request.Headers[HeaderNames.To]!);
        ack.Headers.Add(HeaderNames.CallId, Request.CallId!);
        ack.Headers.Add(HeaderNames.CSeq, new CSeqHeader(Request.CSeq!.Value.Number, SipMethods.Ack).ToString());
        return ack;
    }

    private void OnTimerA()
    {
        lock (Gate)
        {
            if (State != TransactionState.Calling)
            {
                return;
            }

            Send(Request);
            _aInterval *= 2;
            _timerA.Start(_aInterval);
        }
    }

    private void OnTimerB()
    {
        lock (Gate)
        {
            if (State is not (TransactionState.Calling or TransactionState.Proceeding))
            {
                return;
            }

            MoveTo(TransactionState.Terminated);
        }

        Complete(new ClientTransactionResult(ClientTransactionOutcome.Timeout, null, "Timer B"));
    }

    private void OnTimerDorM()
    {
        lock (Gate)
        {
            MoveTo(TransactionState.Terminated);
        }
    }

    private protected override void StopTimers()
    {
        _timerA.Dispose();
        _timerB.Dispose();
        _timerDorM.Dispose();
    }
}
