using System.Net;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Dtmf;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.UserAgents;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// One call to the IVR: its dialog, RTP (the lease that receives the caller's telephone-events, the sender that plays
/// the prompts), its menu and its timers. It is the menu's <see cref="IIvrCallControl"/>. Guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class IvrCall : IIvrCallControl
{
    private readonly IvrAnswerer _answerer;
    private readonly List<char> _keys = new(2);
    private readonly TelephoneEventDecoder? _decoder;

    public IvrCall(
        IvrAnswerer answerer,
        InviteServerTransaction invite,
        SipDialog dialog,
        string callingNumber,
        RtpPortLease media,
        SdpNegotiatedAudio audio,
        Func<IvrCall, SuccessRetransmitter> success,
        Func<IvrCall, TemporaryPasswordMenu> menu)
    {
        _answerer = answerer;
        Invite = invite;
        Dialog = dialog;
        CallingNumber = callingNumber;
        Media = media;
        Audio = audio;
        Success = success(this);
        Menu = menu(this);
        if (audio.TelephoneEventPayloadType is { } payloadType)
        {
            _decoder = new TelephoneEventDecoder(payloadType);
        }
    }

    public Lock Gate { get; } = new();

    public InviteServerTransaction Invite { get; }

    public SipDialog Dialog { get; }

    public string CallId => Dialog.CallId;

    /// <summary>The caller's line, from the trusted edge's P-Asserted-Identity, normalised.</summary>
    public string CallingNumber { get; }

    public RtpPortLease Media { get; }

    public SdpNegotiatedAudio Audio { get; }

    public SuccessRetransmitter Success { get; }

    public TemporaryPasswordMenu Menu { get; }

    public PromptPlayer Player { get; } = new();

    public RtpSender? Sender { get; set; }

    public bool Confirmed { get; set; }

    public bool Ended { get; set; }

    public ITimer? MaxDurationTimer { get; set; }

    /// <summary>Where the prompts go: the caller's RTP source, once latched (symmetric RTP).</summary>
    public Task<IPEndPoint> PeerLatched { get; set; } = Task.FromCanceled<IPEndPoint>(new CancellationToken(true));

    /// <summary>Reads one RTP packet from the latched peer (on the lease's receive loop): RFC 4733 keys go to the menu.</summary>
    public void OnRtp(ReadOnlySpan<byte> datagram)
    {
        if (_decoder is null)
        {
            return;
        }

        // The receive loop is this call's only reader of the decoder and of _keys.
        _keys.Clear();
        _decoder.Read(datagram, _keys);
        foreach (var key in _keys)
        {
            try
            {
                _answerer.OnKey(this, key, "rtp");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A failure here must not stop the lease's receive loop (and with it the call's keys).
                _answerer.OnKeyFailed(this, ex);
            }
        }
    }

    public void Play(IvrPrompt prompt) => _answerer.Play(this, prompt);

    public void StopPrompts() => Player.Clear();

    public Task<string?> IssueAsync(AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken) =>
        _answerer.IssueAsync(this, unit, targetNumber, digits, cancellationToken);

    public void HangUp(string reason) => _ = _answerer.HangUpAfterPromptsAsync(this, reason);
}
