using System.Collections.Concurrent;
using System.Net;
using GatewayAgent.Domain.Numbers;
using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// The UAS that answers probe calls (FN-3) at the site end of the monitored span (FN-1).
/// INVITE to a monitoring number → 200 with an SDP answer, or 180 then the 200 after a configured answer delay; RTP flows until the caller's BYE or our BYE at the maximum duration. Channels are limited
/// (FN-11: 486 beyond them). Everything else gets the answer RFC 3261 §8.2 prescribes (405, 416, 420, 415, 483,
/// 404, 488, 481).
/// </summary>
/// <remarks>
/// No reflection or amplification (docs/security.md): nothing is sent to an address a stranger's message names.
/// RTP is symmetric: it starts only after the ACK, and only once RTP has arrived from the INVITE's source address (or,
/// when allowed, from a trusted media network); it goes to where that RTP came from, never to the SDP's c=/m=, and
/// never more bytes than were received from there. Our BYE goes back to the INVITE's source, not to a Contact or
/// Record-Route naming another host or transport.
/// </remarks>
public sealed class ProbeAnswerer : ISipTransactionUser, IAsyncDisposable
{
    /// <summary>The methods this UAS implements (the Allow header).</summary>
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS";

    private readonly SipTransactionLayer _layer;
    private readonly ProbeAnswererOptions _options;
    private readonly RtpPortAllocator _ports;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HashSet<string> _numbers;
    private readonly Func<IPAddress, bool>? _isTrustedMediaSource;
    private readonly ConcurrentDictionary<string, ProbeCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<InviteServerTransaction, ProbeCall> _byInvite = new();
    private int _activeCalls;
    private int _strangerCalls;
    private long _answered;
    private long _endedByBye;
    private long _endedByUs;
    private long _cancelled;
    private long _busy;
    private long _notFound;
    private long _otherRejected;

    /// <param name="isTrustedMediaSource">
    /// Addresses RTP may also come from (and so go to) besides the INVITE's source address: the allowed sources, when
    /// Agent:Sip:Rtp:AllowMediaToAllowedSources is set for a carrier whose media gateway is not its proxy; null for none.
    /// </param>
    public ProbeAnswerer(
        SipTransactionLayer layer,
        ProbeAnswererOptions options,
        RtpPortAllocator ports,
        TimeProvider time,
        ILogger<ProbeAnswerer> logger,
        Func<IPAddress, bool>? isTrustedMediaSource = null)
    {
        _isTrustedMediaSource = isTrustedMediaSource;
        _layer = layer;
        _options = options;
        _ports = ports;
        _time = time;
        _logger = logger;
        _numbers = options.MonitorNumbers.Select(PhoneNumber.Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal);
        layer.User = this;
    }

    /// <summary>Raised once per probe answered (200 OK sent), off the receive path's lock.</summary>
    public event Action<ProbeAnswered>? Answered;

    public int ActiveCalls => Volatile.Read(ref _activeCalls);

    public ProbeAnswererStatistics GetStatistics() => new(
        ActiveCalls, Interlocked.Read(ref _answered), Interlocked.Read(ref _endedByBye), Interlocked.Read(ref _endedByUs),
        Interlocked.Read(ref _cancelled), Interlocked.Read(ref _busy), Interlocked.Read(ref _notFound), Interlocked.Read(ref _otherRejected));

    public void OnRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        switch (request.Method)
        {
            case SipMethods.Invite when request.To?.Tag is null:
                OnInvite((InviteServerTransaction)transaction);
                break;
            case SipMethods.Invite:
                OnReInvite((InviteServerTransaction)transaction);
                break;
            case SipMethods.Cancel:
                OnCancel(transaction);
                break;
            case SipMethods.Bye:
                OnBye(transaction);
                break;
            case SipMethods.Options:
                if (!RejectCommon(transaction))
                {
                    transaction.Respond(WithCapabilities(transaction.CreateResponse(200)));
                }

                break;
            default:
                Reject(transaction, WithCapabilities(transaction.CreateResponse(405)));
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

        SdpNegotiatedAudio? lateAnswer = null;
        lock (call.Gate)
        {
            if (!call.Success.TryAcknowledge(request.CSeq?.Number))
            {
                return;
            }

            var confirmed = call.State == ProbeCallState.Answered;
            if (confirmed)
            {
                call.State = ProbeCallState.Confirmed;
                lateAnswer = call.Audio; // media starts only now, after the ACK
            }

            if (call.LateOffer && !request.Body.IsEmpty && SdpAnswerReader.TryRead(request.Body.Span, out var audio, out _))
            {
                call.LateOffer = false;
                call.Audio = lateAnswer = audio;
            }
        }

        if (lateAnswer is not null)
        {
            _ = RestartMediaAsync(call);
        }
    }

    public void OnStrayResponse(IncomingMessage response)
    {
        // Responses to our BYEs are matched by their client transactions; anything else is dropped.
    }

    private void OnInvite(InviteServerTransaction tx)
    {
        var request = tx.Request;
        var start = _time.GetTimestamp();
        if (RejectCommon(tx))
        {
            return;
        }

        if (RequestUriNumber.Of(request.RequestUri.User) is not { } number || !_numbers.Contains(number))
        {
            Interlocked.Increment(ref _notFound);
            tx.Respond(tx.CreateResponse(404));
            return;
        }

        if (!request.Body.IsEmpty && !IsSdp(request.ContentType))
        {
            var unsupported = tx.CreateResponse(415);
            unsupported.Headers.Add(HeaderNames.Accept, "application/sdp");
            Reject(tx, unsupported);
            return;
        }

        // FN-11: a probe takes a channel while it rings; beyond the contract's channels the line is busy. When the
        // probers are known, other sources may hold only their share of the channels (issue 13): a stranger's calls,
        // however many, never leave a probe busy.
        var stranger = _layer.IsStranger(tx.Incoming.Source.EndPoint.Address);
        if (!TryTakeChannel(stranger))
        {
            Interlocked.Increment(ref _busy);
            tx.Respond(tx.CreateResponse(486));
            return;
        }

        if (!_ports.TryAllocate(out var media))
        {
            ReleaseChannel(stranger);
            Reject(tx, tx.CreateResponse(503, "No RTP port available"));
            return;
        }

        var local = _layer.Sender.GetLocalEndPoint(tx.Incoming.Source);
        var origin = SdpSessionOrigin.CreateRandom(local.Address);
        var call = new ProbeCall(tx, SipDialog.ForServer(request, tx.LocalTag), number, media, origin, start, c => new SuccessRetransmitter(
            _layer.Timers, _time, ok => _ = SendQuietlyAsync(ok, c.Invite.Peer), () => _ = HangUpAsync(c, "no ACK for 200 OK")));
        call.FromStranger = stranger;
        var signalling = SipEndPoints.Normalize(tx.Incoming.Source.EndPoint.Address);
        call.PeerLatched = media.Latch(rtp => rtp.Address.Equals(signalling) || _isTrustedMediaSource?.Invoke(rtp.Address) == true);
        SipResponse ok;
        if (request.Body.IsEmpty)
        {
            call.LateOffer = true;
            ok = CreateSuccess(tx, SdpSerializer.SerializeToUtf8(SdpOfferBuilder.CreateOffer(origin, local.Address, media.Port)));
        }
        else
        {
            var answer = SdpAnswerer.CreateAnswer(request.Body.Span, origin, local.Address, media.Port);
            if (!answer.IsAccepted)
            {
                ReleaseChannel(stranger);
                _ = media.DisposeAsync().AsTask();
                Reject(tx, tx.CreateResponse(488, answer.Reason));
                return;
            }

            call.Audio = answer.Audio;
            ok = CreateSuccess(tx, SdpSerializer.SerializeToUtf8(answer.Answer!));
        }

        _calls[call.Dialog.Id] = call;
        _byInvite[tx] = call;
        // No amplification (docs/security.md): an immediate answer is the 200 alone; a configured ring time adds one
        // 180. A 100 is never needed, as the TU's first response goes out at once (RFC 3261 §17.2.1: 100 only when
        // the TU takes longer than 200 ms).
        if (_options.AnswerDelay <= TimeSpan.Zero)
        {
            Answer(call, ok);
        }
        else
        {
            tx.Respond(WithContact(tx.CreateResponse(180), tx));
            lock (call.Gate)
            {
                call.AnswerTimer = _time.CreateTimer(_ => Answer(call, ok), null, _options.AnswerDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private SipResponse CreateSuccess(ServerTransaction tx, byte[] sdp)
    {
        var ok = WithContact(tx.CreateResponse(200), tx);
        ok.Headers.Add(HeaderNames.Allow, AllowedMethods);
        ok.Headers.Add(HeaderNames.ContentType, "application/sdp");
        ok.Body = sdp;
        return ok;
    }

    private void Answer(ProbeCall call, SipResponse ok)
    {
        lock (call.Gate)
        {
            if (call.State != ProbeCallState.Ringing || !call.Invite.Respond(ok))
            {
                return;
            }

            call.State = ProbeCallState.Answered;
            call.Success.Start(ok, call.Invite.Request.CSeq!.Value.Number);
            call.MaxDurationTimer = _time.CreateTimer(_ => _ = HangUpAsync(call, "maximum call duration"), null, _options.MaxCallDuration, Timeout.InfiniteTimeSpan);
        }

        Interlocked.Increment(ref _answered);
        var setup = _time.GetElapsedTime(call.StartedAt);
        var source = call.Invite.Incoming.Source;
        SipLog.ProbeAnswered(_logger, call.Dialog.CallId, source.ToString(), call.Number, setup.TotalMilliseconds);
        Answered?.Invoke(new ProbeAnswered(call.Dialog.CallId, call.Number, source, setup, _time.GetUtcNow()));
    }

    private void OnReInvite(InviteServerTransaction tx)
    {
        var request = tx.Request;
        if (!_calls.TryGetValue(UasRules.DialogKey(request), out var call))
        {
            tx.Respond(tx.CreateResponse(481));
            return;
        }

        if (RejectCommon(tx))
        {
            return;
        }

        if (!call.Dialog.AcceptRemoteCSeq(request.CSeq!.Value.Number))
        {
            tx.Respond(tx.CreateResponse(500, "CSeq out of order"));
            return;
        }

        lock (call.Gate)
        {
            if (call.Success.IsPending)
            {
                // RFC 3261 §14.2: an INVITE while our previous 2xx awaits its ACK.
                var pending = tx.CreateResponse(500, "Previous INVITE not yet acknowledged");
                pending.Headers.Add(HeaderNames.RetryAfter, "1");
                tx.Respond(pending);
                return;
            }
        }

        var local = _layer.Sender.GetLocalEndPoint(tx.Incoming.Source);
        byte[] sdp;
        if (request.Body.IsEmpty)
        {
            sdp = SdpSerializer.SerializeToUtf8(SdpOfferBuilder.CreateOffer(call.Origin, local.Address, call.Media.Port));
            call.LateOffer = true;
        }
        else
        {
            var answer = SdpAnswerer.CreateAnswer(request.Body.Span, call.Origin, local.Address, call.Media.Port);
            if (!answer.IsAccepted)
            {
                tx.Respond(tx.CreateResponse(488, answer.Reason));
                return;
            }

            call.Audio = answer.Audio;
            sdp = SdpSerializer.SerializeToUtf8(answer.Answer!);
        }

        call.Dialog.RefreshTarget(request);
        var ok = CreateSuccess(tx, sdp);
        lock (call.Gate)
        {
            if (call.State == ProbeCallState.Ended || !tx.Respond(ok))
            {
                return;
            }

            call.Success.Start(ok, request.CSeq!.Value.Number);
        }

        _ = RestartMediaAsync(call);
    }

    private void OnCancel(ServerTransaction cancel)
    {
        if (cancel.CancelledInvite is not { } invite)
        {
            cancel.Respond(cancel.CreateResponse(481));
            return;
        }

        cancel.Respond(cancel.CreateResponse(200));
        invite.IsCancelled = true;
        if (_byInvite.TryGetValue(invite, out var call))
        {
            lock (call.Gate)
            {
                if (call.State != ProbeCallState.Ringing)
                {
                    return; // already answered: the CANCEL has no effect (§9.2)
                }

                invite.Respond(invite.CreateResponse(487));
            }

            Interlocked.Increment(ref _cancelled);
            _ = EndAsync(call);
        }
        else
        {
            invite.Respond(invite.CreateResponse(487));
        }
    }

    private void OnBye(ServerTransaction tx)
    {
        var request = tx.Request;
        if (!_calls.TryGetValue(UasRules.DialogKey(request), out var call))
        {
            tx.Respond(tx.CreateResponse(481));
            return;
        }

        tx.Respond(tx.CreateResponse(200));
        Interlocked.Increment(ref _endedByBye);
        _ = EndAsync(call);
    }

    /// <summary>Sends our BYE (maximum duration reached, or the ACK never came) and ends the call.</summary>
    private async Task HangUpAsync(ProbeCall call, string why)
    {
        lock (call.Gate)
        {
            if (call.State == ProbeCallState.Ringing)
            {
                return;
            }
        }

        if (!TryEnd(call))
        {
            return;
        }

        Interlocked.Increment(ref _endedByUs);
        var source = call.Invite.Incoming.Source;
        var target = UasRules.InDialogTarget(call.Dialog, source);
        var local = _layer.Sender.GetLocalEndPoint(target);
        var bye = call.Dialog.CreateRequest(SipMethods.Bye, target.ViaTransport, SipEndPoints.FormatHostPort(local));
        bye.Headers.Add(HeaderNames.UserAgent, _options.ProductName);
        SipLog.HangingUp(_logger, call.Dialog.CallId, why);
        var transaction = _layer.SendRequest(bye, target);
        await ReleaseMediaAsync(call).ConfigureAwait(false);
        var result = await transaction.Completion.ConfigureAwait(false);
        if (result.StatusCode >= 300)
        {
            SipLog.ByeFailed(_logger, call.Dialog.CallId, result.StatusCode);
        }
    }

    private async Task EndAsync(ProbeCall call)
    {
        if (TryEnd(call))
        {
            await ReleaseMediaAsync(call).ConfigureAwait(false);
        }
    }

    /// <summary>Marks the call ended, stops its timers and frees its channel; false when it had already ended.</summary>
    private bool TryEnd(ProbeCall call)
    {
        lock (call.Gate)
        {
            if (call.State == ProbeCallState.Ended)
            {
                return false;
            }

            call.State = ProbeCallState.Ended;
            call.StopTimers();
        }

        _calls.TryRemove(new KeyValuePair<string, ProbeCall>(call.Dialog.Id, call));
        _byInvite.TryRemove(new KeyValuePair<InviteServerTransaction, ProbeCall>(call.Invite, call));
        ReleaseChannel(call.FromStranger);
        return true;
    }

    private bool TryTakeChannel(bool stranger)
    {
        if (stranger && Interlocked.Increment(ref _strangerCalls) > (int)(_options.Channels * _layer.StrangerShare))
        {
            Interlocked.Decrement(ref _strangerCalls);
            return false;
        }

        if (Interlocked.Increment(ref _activeCalls) > _options.Channels)
        {
            ReleaseChannel(stranger);
            return false;
        }

        return true;
    }

    private void ReleaseChannel(bool stranger)
    {
        Interlocked.Decrement(ref _activeCalls);
        if (stranger)
        {
            Interlocked.Decrement(ref _strangerCalls);
        }
    }

    private static async Task ReleaseMediaAsync(ProbeCall call)
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

    /// <summary>
    /// (Re)starts RTP with the negotiated codec once the call is confirmed (ACK received) and the peer's RTP has
    /// arrived: symmetric RTP, to the latched source, within the bytes received from it (docs/security.md).
    /// </summary>
    private async Task RestartMediaAsync(ProbeCall call)
    {
        if (!call.PeerLatched.IsCompleted)
        {
            lock (call.Gate)
            {
                if (call.AwaitingPeerMedia)
                {
                    return; // the first wait restarts the media when the peer's RTP arrives
                }

                call.AwaitingPeerMedia = true;
            }

            // cancelled when the call ends (its lease is released) before any RTP came: most probe calls, so no
            // exception is thrown for it (issue 13)
            await ((Task)call.PeerLatched).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (!call.PeerLatched.IsCompletedSuccessfully)
        {
            return;
        }

        var peer = call.PeerLatched.Result;
        RtpSender? old;
        RtpSender? fresh = null;
        lock (call.Gate)
        {
            if (call.State != ProbeCallState.Confirmed)
            {
                return;
            }

            old = call.Sender;
            if (call.Audio is { ShouldSend: true } audio)
            {
                var media = call.Media;
                var spent = old?.BytesSent ?? 0;
                var spentBefore = call.MediaBytesSent += spent;
                fresh = new RtpSender(media.Socket, new RtpSenderOptions
                {
                    RemoteEndpoint = peer,
                    Codec = audio.Codec,
                    PayloadType = audio.PayloadType,
                    Content = _options.Audio,
                    ByteBudget = () => media.BytesFromPeer - spentBefore,
                }, _time);
            }

            call.Sender = fresh;
        }

        try
        {
            if (old is not null)
            {
                await old.DisposeAsync().ConfigureAwait(false);
            }

            if (fresh is not null)
            {
                await fresh.StartAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            SipLog.MediaFailed(_logger, call.Dialog.CallId, ex);
        }
    }

    /// <summary>The checks every request passes before its method's own (RFC 3261 §8.2.1–§8.2.3, §16.3 step 3).</summary>
    private bool RejectCommon(ServerTransaction tx)
    {
        if (UasRules.CheckCommon(tx) is not { } response)
        {
            return false;
        }

        Reject(tx, response);
        return true;
    }

    private void Reject(ServerTransaction tx, SipResponse response)
    {
        Interlocked.Increment(ref _otherRejected);
        tx.Respond(response);
    }

    private SipResponse WithCapabilities(SipResponse response)
    {
        response.Headers.Add(HeaderNames.Allow, AllowedMethods);
        response.Headers.Add(HeaderNames.Accept, "application/sdp");
        response.Headers.Add(HeaderNames.Supported, "");
        response.Headers.Add(HeaderNames.Server, _options.ProductName);
        return response;
    }

    private SipResponse WithContact(SipResponse response, ServerTransaction tx) => UasRules.WithContact(response, tx, _layer.Sender);

    private static bool IsSdp(string? contentType) => UasRules.IsContentType(contentType, "application/sdp");

    private async Task SendQuietlyAsync(SipMessage message, SipTarget target)
    {
        try
        {
            await _layer.Sender.SendAsync(message, target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            SipLog.TransportError(_logger, "2xx retransmission", target.ToString(), ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var call in _calls.Values)
        {
            await EndAsync(call).ConfigureAwait(false);
        }
    }
}
