using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;
using GatewayAgent.Sip.Transactions;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>One probe call on the answering side: its dialog, media and timers. Guarded by its own lock.</summary>
internal sealed class ProbeCall
{
    public ProbeCall(
        InviteServerTransaction invite, SipDialog dialog, string number, RtpPortLease media, SdpSessionOrigin origin, long startedAt,
        Func<ProbeCall, SuccessRetransmitter> success)
    {
        Invite = invite;
        Dialog = dialog;
        Number = number;
        Media = media;
        Origin = origin;
        StartedAt = startedAt;
        Success = success(this);
    }

    public object Gate { get; } = new();

    public InviteServerTransaction Invite { get; }

    public SipDialog Dialog { get; }

    public string Number { get; }

    public RtpPortLease Media { get; }

    public SdpSessionOrigin Origin { get; }

    /// <summary>TimeProvider timestamp of the INVITE's arrival.</summary>
    public long StartedAt { get; }

    public ProbeCallState State { get; set; } = ProbeCallState.Ringing;

    /// <summary>The negotiated audio (from the INVITE's offer, or from the ACK's answer for a late offer).</summary>
    public SdpNegotiatedAudio? Audio { get; set; }

    public RtpSender? Sender { get; set; }

    /// <summary>Completes with the RTP source latched for symmetric RTP; cancelled when the lease is released first.</summary>
    public Task<System.Net.IPEndPoint> PeerLatched { get; set; } = Task.FromCanceled<System.Net.IPEndPoint>(new CancellationToken(true));

    /// <summary>True while a media start waits for the peer's first RTP.</summary>
    public bool AwaitingPeerMedia { get; set; }

    /// <summary>RTP bytes sent by earlier senders of this call (a re-INVITE restarts the sender), for the byte budget.</summary>
    public long MediaBytesSent { get; set; }

    /// <summary>The 2xx being retransmitted until its ACK (RFC 3261 §13.3.1.4).</summary>
    public SuccessRetransmitter Success { get; }

    /// <summary>True when the INVITE had no SDP: our 200 carries the offer and the ACK the answer.</summary>
    public bool LateOffer { get; set; }

    /// <summary>The call came from a source other than the known probers, and holds one of the strangers' channels.</summary>
    public bool FromStranger { get; set; }

    public ITimer? AnswerTimer { get; set; }

    public ITimer? MaxDurationTimer { get; set; }

    public void StopTimers()
    {
        AnswerTimer?.Dispose();
        Success.Dispose();
        MaxDurationTimer?.Dispose();
    }
}
