using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transactions;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// RFC 3261 §13.3.1.4 for a UAS core: a 2xx to an INVITE is resent at T1, 2·T1 … T2 until its ACK arrives; without an
/// ACK for 64·T1 the core gives up (and ends the dialog with a BYE). One per call; shared by the probe answerer and
/// the temporary-password IVR. Thread-safe.
/// </summary>
public sealed class SuccessRetransmitter : IDisposable
{
    private readonly SipTimerOptions _timers;
    private readonly TimeProvider _time;
    private readonly Action<SipResponse> _resend;
    private readonly Action _giveUp;
    private readonly Lock _gate = new();
    private SipResponse? _pending;
    private long _cseq;
    private TimeSpan _interval;
    private ITimer? _retransmitTimer;
    private ITimer? _giveUpTimer;
    private bool _disposed;

    /// <param name="timers">T1, T2 and the transaction timeout (64·T1).</param>
    /// <param name="time">The clock of the timers.</param>
    /// <param name="resend">Sends the 2xx again (to the INVITE's response target).</param>
    /// <param name="giveUp">Called once when no ACK came in time.</param>
    public SuccessRetransmitter(SipTimerOptions timers, TimeProvider time, Action<SipResponse> resend, Action giveUp)
    {
        _timers = timers;
        _time = time;
        _resend = resend;
        _giveUp = giveUp;
    }

    /// <summary>Whether a 2xx still awaits its ACK (RFC 3261 §14.2: a re-INVITE meanwhile gets 500).</summary>
    public bool IsPending
    {
        get
        {
            lock (_gate)
            {
                return _pending is not null;
            }
        }
    }

    /// <summary>Starts resending <paramref name="ok"/> (just sent once by the transaction) until the ACK with <paramref name="cseq"/>.</summary>
    public void Start(SipResponse ok, long cseq)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            StopTimers();
            _pending = ok;
            _cseq = cseq;
            _interval = _timers.T1;
            _retransmitTimer = _time.CreateTimer(_ => Retransmit(), null, _interval, Timeout.InfiniteTimeSpan);
            _giveUpTimer = _time.CreateTimer(_ => GiveUp(), null, _timers.TransactionTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>An ACK arrived: true when it acknowledges the pending 2xx (same CSeq), which then stops being resent.</summary>
    public bool TryAcknowledge(long? cseq)
    {
        lock (_gate)
        {
            if (_pending is null || cseq != _cseq)
            {
                return false;
            }

            _pending = null;
            StopTimers();
            return true;
        }
    }

    /// <summary>Stops resending for good (the call ended).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending = null;
            StopTimers();
        }
    }

    private void Retransmit()
    {
        SipResponse ok;
        lock (_gate)
        {
            if (_pending is null || _disposed)
            {
                return;
            }

            ok = _pending;
            _interval = _interval * 2 < _timers.T2 ? _interval * 2 : _timers.T2;
            _retransmitTimer?.Dispose();
            _retransmitTimer = _time.CreateTimer(_ => Retransmit(), null, _interval, Timeout.InfiniteTimeSpan);
        }

        _resend(ok);
    }

    private void GiveUp()
    {
        lock (_gate)
        {
            if (_pending is null || _disposed)
            {
                return;
            }

            _pending = null;
            StopTimers();
        }

        _giveUp();
    }

    private void StopTimers()
    {
        _retransmitTimer?.Dispose();
        _giveUpTimer?.Dispose();
        _retransmitTimer = null;
        _giveUpTimer = null;
    }
}
