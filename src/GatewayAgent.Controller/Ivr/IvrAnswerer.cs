using System.Collections.Concurrent;
using System.Net;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Domain.Numbers;
using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Dtmf;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using GatewayAgent.Sip.UserAgents;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// The temporary-password IVR's UAS (SS-3) on our SIP stack. Only trusted edges reach it (a <c>SourceGuard</c> in front
/// answers everyone else 403). An INVITE to the access number is answered when its <c>P-Asserted-Identity</c> names one
/// of a contract's numbers (<see cref="ITemporaryPasswordIssuer.IsContractLineAsync"/>); else 403. After the ACK the
/// menu starts; keys come as RFC 4733 telephone-events in RTP (the payload type of the offer/answer) or as SIP INFO
/// with <c>application/dtmf-relay</c>; prompts go back as 20 ms G.711 packets.
/// </summary>
/// <remarks>
/// Symmetric RTP (docs/security.md): prompts go only to where the caller's RTP comes from, and only RTP from the
/// INVITE's source address or a configured media source is taken (and so read for keys); the SDP's <c>c=</c>/<c>m=</c>
/// address is never sent to. Our BYE goes back along the dialog's path (<see cref="UasRules.InDialogTarget"/>).
/// </remarks>
internal sealed class IvrAnswerer : ISipTransactionUser, IAsyncDisposable
{
    /// <summary>The methods the IVR implements (the Allow header).</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO";

    private const string ProductName = "gateway-controller-ivr";

    private readonly SipTransactionLayer _layer;
    private readonly IvrOptions _options;
    private readonly PromptLibrary _prompts;
    private readonly RtpPortAllocator _ports;
    private readonly ITemporaryPasswordIssuer _issuer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<IPAddress, bool> _isMediaSource;
    private readonly string _accessNumber;
    private readonly ConcurrentDictionary<string, IvrCall> _calls = new(StringComparer.Ordinal);
    private int _activeCalls;
    private long _callsAnswered;

    public IvrAnswerer(
        SipTransactionLayer layer,
        IvrOptions options,
        PromptLibrary prompts,
        RtpPortAllocator ports,
        ITemporaryPasswordIssuer issuer,
        TimeProvider time,
        ILogger logger,
        Func<IPAddress, bool> isMediaSource)
    {
        _layer = layer;
        _options = options;
        _prompts = prompts;
        _ports = ports;
        _issuer = issuer;
        _time = time;
        _logger = logger;
        _isMediaSource = isMediaSource;
        _accessNumber = PhoneNumber.Normalize(options.AccessNumber) ?? throw new ArgumentException("no access number", nameof(options));
        layer.User = this;
    }

    /// <summary>Calls ringing or up.</summary>
    public int ActiveCalls => Volatile.Read(ref _activeCalls);

    /// <summary>Calls answered since the start.</summary>
    public long CallsAnswered => Interlocked.Read(ref _callsAnswered);

    public void OnRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        switch (request.Method)
        {
            case SipMethods.Invite when request.To?.Tag is null:
                _ = OnInviteAsync((InviteServerTransaction)transaction);
                break;
            case SipMethods.Invite:
                // A re-INVITE: the IVR keeps the session it has (RFC 3261 §14.2 lets a UAS refuse the change).
                transaction.Respond(_calls.ContainsKey(UasRules.DialogKey(request)) ? transaction.CreateResponse(488) : transaction.CreateResponse(481));
                break;
            case SipMethods.Info:
                OnInfo(transaction);
                break;
            case SipMethods.Bye:
                OnBye(transaction);
                break;
            case SipMethods.Cancel:
                UasRules.AnswerCancel(transaction);
                break;
            case SipMethods.Options:
                transaction.Respond(UasRules.CheckCommon(transaction) ?? WithCapabilities(transaction.CreateResponse(200)));
                break;
            default:
                transaction.Respond(WithCapabilities(transaction.CreateResponse(405)));
                break;
        }
    }

    public void OnAck(IncomingMessage ack)
    {
        var request = (SipRequest)ack.Message!;
        if (!_calls.TryGetValue(UasRules.DialogKey(request), out var call))
        {
            return; // an ACK outside any dialog is dropped (RFC 3261 §17.2.3)
        }

        lock (call.Gate)
        {
            if (call.Ended || !call.Success.TryAcknowledge(request.CSeq?.Number) || call.Confirmed)
            {
                return;
            }

            call.Confirmed = true;
        }

        call.Menu.Start();
        _ = StartPromptsAsync(call);
    }

    public void OnStrayResponse(IncomingMessage response)
    {
        // Responses to our BYEs are matched by their client transactions; anything else is dropped.
    }

    private async Task OnInviteAsync(InviteServerTransaction tx)
    {
        var request = tx.Request;
        var source = tx.Incoming.Source;
        if (UasRules.CheckCommon(tx) is { } common)
        {
            Refuse(tx, common, "malformed or unsupported request");
            return;
        }

        if (RequestUriNumber.Of(request.RequestUri.User) != _accessNumber)
        {
            Refuse(tx, tx.CreateResponse(404), "not the access number");
            return;
        }

        // SS-3: the calling line is the one the trusted edge asserts (the SourceGuard in front let only edges through);
        // From and Contact are the caller's own words and are not read.
        if (AssertedNumber(request) is not { } calling)
        {
            Refuse(tx, tx.CreateResponse(403, "No asserted identity"), "no P-Asserted-Identity naming a phone number");
            return;
        }

        if (request.Body.IsEmpty || !UasRules.IsContentType(request.ContentType, "application/sdp"))
        {
            var response = tx.CreateResponse(request.Body.IsEmpty ? 488 : 415, request.Body.IsEmpty ? "An SDP offer is required" : null);
            response.Headers.Add(HeaderNames.Accept, "application/sdp");
            Refuse(tx, response, "no SDP offer");
            return;
        }

        if (Interlocked.Increment(ref _activeCalls) > _options.MaxCalls)
        {
            Interlocked.Decrement(ref _activeCalls);
            Refuse(tx, tx.CreateResponse(486), "all IVR channels busy");
            return;
        }

        // The channel is given back before a refusal is sent, so whoever got the refusal sees it free.
        var counted = true;
        void Release()
        {
            if (counted)
            {
                counted = false;
                Interlocked.Decrement(ref _activeCalls);
            }
        }

        try
        {
            // The account store may take a moment: a 100 stops the edge's INVITE retransmissions (RFC 3261 §17.2.1).
            tx.Respond(tx.CreateResponse(100));
            bool isContractLine;
            try
            {
                isContractLine = await _issuer.IsContractLineAsync(calling, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                IvrLog.IssueFailed(_logger, request.CallId ?? "", ex);
                Release();
                Refuse(tx, tx.CreateResponse(503), "the account store failed");
                return;
            }

            if (!isContractLine)
            {
                Release();
                Refuse(tx, tx.CreateResponse(403, "Not a contract line"), $"calling line {calling} is not a contract's number");
                return;
            }

            if (tx.IsCancelled)
            {
                return; // the CANCEL already answered the INVITE with 487
            }

            if (!_ports.TryAllocate(out var media))
            {
                Release();
                Refuse(tx, tx.CreateResponse(503, "No RTP port available"), "no RTP port");
                return;
            }

            var local = _layer.Sender.GetLocalEndPoint(source);
            var origin = SdpSessionOrigin.CreateRandom(local.Address);
            var answer = SdpAnswerer.CreateAnswer(request.Body.Span, origin, local.Address, media.Port);
            if (!answer.IsAccepted)
            {
                await media.DisposeAsync().ConfigureAwait(false);
                Release();
                Refuse(tx, tx.CreateResponse(488, answer.Reason), answer.Reason);
                return;
            }

            var dialog = SipDialog.ForServer(request, tx.LocalTag);
            var call = new IvrCall(this, tx, dialog, calling, media, answer.Audio,
                c => new SuccessRetransmitter(_layer.Timers, _time, ok => _ = SendQuietlyAsync(c, ok, c.Invite.Peer),
                    () => _ = HangUpAsync(c, "no ACK for 200 OK")),
                c => new TemporaryPasswordMenu(c, _time, _options.InterDigitTimeout, _logger, c.CallId));
            media.OnPeerPacket(call.OnRtp);
            var signalling = SipEndPoints.Normalize(source.EndPoint.Address);
            call.PeerLatched = media.Latch(rtp => rtp.Address.Equals(signalling) || _isMediaSource(rtp.Address));

            var ok = UasRules.WithContact(tx.CreateResponse(200), tx, _layer.Sender);
            ok.Headers.Add(HeaderNames.Allow, AllowedMethods);
            ok.Headers.Add(HeaderNames.ContentType, "application/sdp");
            ok.Body = SdpSerializer.SerializeToUtf8(answer.Answer);
            _calls[dialog.Id] = call;
            counted = false; // the call owns the channel now; EndAsync frees it
            lock (call.Gate)
            {
                if (!tx.Respond(ok))
                {
                    _ = EndAsync(call, "cancelled before the answer");
                    return;
                }

                call.Success.Start(ok, request.CSeq!.Value.Number);
                call.MaxDurationTimer = _time.CreateTimer(_ => _ = HangUpAsync(call, "maximum call duration"), null, _options.MaxCallDuration,
                    Timeout.InfiniteTimeSpan);
            }

            Interlocked.Increment(ref _callsAnswered);
            IvrLog.Answered(_logger, call.CallId, calling, source.ToString(),
                answer.Audio.TelephoneEventPayloadType is { } pt ? $"RFC 4733 (payload type {pt}) or INFO" : "INFO");
        }
        finally
        {
            Release();
        }
    }

    /// <summary>The number of the first P-Asserted-Identity (sip: user or tel: number) that is a phone number, normalised.</summary>
    internal static string? AssertedNumber(SipRequest request)
    {
        foreach (var header in request.Headers.GetValues("P-Asserted-Identity"))
        {
            foreach (var value in SplitAddresses(header))
            {
                if (NameAddress.TryParse(value.Trim(), out var address) && address.Uri.Scheme is "sip" or "sips" or "tel"
                    && PhoneNumber.Normalize(address.Uri.UserUnescaped) is { } number && PhoneNumber.IsSubscriberNumber(number))
                {
                    return number;
                }
            }
        }

        return null;
    }

    // A header may carry several name-addrs separated by commas outside <...> and quotes (RFC 3325 §9.1: a sip and a tel).
    private static IEnumerable<string> SplitAddresses(string header)
    {
        var start = 0;
        var inAngle = false;
        var inQuote = false;
        for (var i = 0; i < header.Length; i++)
        {
            switch (header[i])
            {
                case '"':
                    inQuote = !inQuote;
                    break;
                case '<' when !inQuote:
                    inAngle = true;
                    break;
                case '>' when !inQuote:
                    inAngle = false;
                    break;
                case ',' when !inQuote && !inAngle:
                    yield return header[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return header[start..];
    }

    private void Refuse(ServerTransaction tx, SipResponse response, string reason)
    {
        IvrLog.Refused(_logger, tx.Request.CallId, tx.Incoming.Source.ToString(), response.StatusCode, reason);
        tx.Respond(response);
    }

    private void OnInfo(ServerTransaction tx)
    {
        var request = tx.Request;
        if (!_calls.TryGetValue(UasRules.DialogKey(request), out var call))
        {
            tx.Respond(tx.CreateResponse(481));
            return;
        }

        if (UasRules.CheckCommon(tx) is { } common)
        {
            tx.Respond(common);
            return;
        }

        if (!call.Dialog.AcceptRemoteCSeq(request.CSeq!.Value.Number))
        {
            tx.Respond(tx.CreateResponse(500, "CSeq out of order"));
            return;
        }

        if (!UasRules.IsContentType(request.ContentType, DtmfRelay.ContentType))
        {
            var unsupported = tx.CreateResponse(415);
            unsupported.Headers.Add(HeaderNames.Accept, DtmfRelay.ContentType);
            IvrLog.InfoRefused(_logger, call.CallId, 415, request.ContentType ?? "no Content-Type");
            tx.Respond(unsupported);
            return;
        }

        if (!DtmfRelay.TryParse(request.Body.Span, out var key, out _, out var error))
        {
            IvrLog.InfoRefused(_logger, call.CallId, 400, error);
            tx.Respond(tx.CreateResponse(400, error));
            return;
        }

        tx.Respond(tx.CreateResponse(200));
        OnKey(call, key, "info");
    }

    internal void OnKey(IvrCall call, char key, string via)
    {
        lock (call.Gate)
        {
            if (!call.Confirmed || call.Ended)
            {
                return;
            }
        }

        IvrLog.KeyReceived(_logger, call.CallId, via);
        call.Menu.OnKey(key);
    }

    internal void OnKeyFailed(IvrCall call, Exception error) => IvrLog.KeyFailed(_logger, call.CallId, error);

    private void OnBye(ServerTransaction tx)
    {
        if (!_calls.TryGetValue(UasRules.DialogKey(tx.Request), out var call))
        {
            tx.Respond(tx.CreateResponse(481));
            return;
        }

        tx.Respond(tx.CreateResponse(200));
        _ = EndAsync(call, "the caller hung up");
    }

    internal void Play(IvrCall call, IvrPrompt prompt)
    {
        IvrLog.PromptPlayed(_logger, call.CallId, IvrPrompts.Name(prompt));
        call.Player.Enqueue(_prompts[prompt]);
    }

    internal Task<string?> IssueAsync(IvrCall call, AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken) =>
        _issuer.IssueAsync(call.CallingNumber, unit, targetNumber, digits, cancellationToken);

    /// <summary>Ends the call with our BYE once the queued prompts have played (bounded: they may never play without RTP).</summary>
    internal async Task HangUpAfterPromptsAsync(IvrCall call, string reason)
    {
        var bound = call.Player.Remaining + TimeSpan.FromSeconds(2);
        try
        {
            await call.Player.WhenIdleAsync().WaitAsync(bound, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The caller's RTP never came (nothing played): hang up anyway.
        }

        await HangUpAsync(call, reason).ConfigureAwait(false);
    }

    /// <summary>Starts the prompts once the caller's RTP has arrived: symmetric RTP, back to where it came from.</summary>
    private async Task StartPromptsAsync(IvrCall call)
    {
        IPEndPoint peer;
        try
        {
            peer = await call.PeerLatched.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the call ended before any RTP came
        }

        RtpSender sender;
        lock (call.Gate)
        {
            if (call.Ended || !call.Audio.LocalDirection.Sends())
            {
                return;
            }

            sender = new RtpSender(call.Media.Socket, new RtpSenderOptions
            {
                RemoteEndpoint = peer,
                Codec = call.Audio.Codec,
                PayloadType = call.Audio.PayloadType,
                PayloadSource = call.Player,
            }, _time);
            call.Sender = sender;
        }

        try
        {
            await sender.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            IvrLog.SendFailed(_logger, call.CallId, ex);
        }
    }

    private async Task HangUpAsync(IvrCall call, string why, bool awaitAnswer = true)
    {
        if (!TryEnd(call, why))
        {
            return;
        }

        var target = UasRules.InDialogTarget(call.Dialog, call.Invite.Incoming.Source);
        var local = _layer.Sender.GetLocalEndPoint(target);
        var bye = call.Dialog.CreateRequest(SipMethods.Bye, target.ViaTransport, SipEndPoints.FormatHostPort(local));
        bye.Headers.Add(HeaderNames.UserAgent, ProductName);
        await ReleaseMediaAsync(call).ConfigureAwait(false);
        try
        {
            var transaction = _layer.SendRequest(bye, target);
            if (!awaitAnswer)
            {
                return; // stopping: the BYE is sent, its answer is not waited for
            }

            var result = await transaction.Completion.ConfigureAwait(false);
            if (result.StatusCode >= 300)
            {
                IvrLog.ByeFailed(_logger, call.CallId, result.StatusCode);
            }
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            IvrLog.SendFailed(_logger, call.CallId, ex);
        }
    }

    private async Task EndAsync(IvrCall call, string why)
    {
        if (TryEnd(call, why))
        {
            await ReleaseMediaAsync(call).ConfigureAwait(false);
        }
    }

    private bool TryEnd(IvrCall call, string why)
    {
        lock (call.Gate)
        {
            if (call.Ended)
            {
                return false;
            }

            call.Ended = true;
            call.MaxDurationTimer?.Dispose();
            call.Success.Dispose();
        }

        call.Menu.Dispose();
        call.Player.Clear();
        _calls.TryRemove(new KeyValuePair<string, IvrCall>(call.Dialog.Id, call));
        Interlocked.Decrement(ref _activeCalls);
        IvrLog.Ended(_logger, call.CallId, why);
        return true;
    }

    private static async Task ReleaseMediaAsync(IvrCall call)
    {
        RtpSender? sender;
        lock (call.Gate)
        {
            sender = call.Sender;
            call.Sender = null;
        }

        if (sender is not null)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }

        await call.Media.DisposeAsync().ConfigureAwait(false);
    }

    private static SipResponse WithCapabilities(SipResponse response)
    {
        response.Headers.Add(HeaderNames.Allow, AllowedMethods);
        response.Headers.Add(HeaderNames.Accept, "application/sdp, " + DtmfRelay.ContentType);
        response.Headers.Add(HeaderNames.Supported, "");
        response.Headers.Add(HeaderNames.Server, ProductName);
        return response;
    }

    private async Task SendQuietlyAsync(IvrCall call, SipMessage message, SipTarget target)
    {
        try
        {
            await _layer.Sender.SendAsync(message, target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            IvrLog.SendFailed(_logger, call.CallId, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var call in _calls.Values)
        {
            await HangUpAsync(call, "the IVR is stopping", awaitAnswer: false).ConfigureAwait(false);
        }
    }
}
