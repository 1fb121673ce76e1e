using System.Collections.Concurrent;
using System.Net;
using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Lab;

/// <summary>
/// The lab's stand-in for every forward destination (BF-3: the mobile phones calls go to while bulk forwarding is on):
/// one UAS on 127.0.0.1:PORT, the edge's DESTINATION_HOP, built on our SIP stack (transport, transaction layer,
/// dialogs, SDP). It answers every INVITE at once with 200 OK — the SDP as the agent's answerer makes it: an answer to
/// the offer, or an offer when the INVITE had none — and a Contact whose user part is the dialled number (the
/// Request-URI's user, the destination the edge put there), so the caller can tell which destination answered.
/// The 2xx is resent until its ACK (RFC 3261 §13.3.1.4); BYE ends the call, CANCEL before the answer gets 487.
/// </summary>
public sealed class DestinationPhone : ISipTransactionUser, IAsyncDisposable
{
    private const string Allow = "INVITE, ACK, BYE, CANCEL, OPTIONS";
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _layer;
    private readonly RtpPortAllocator _ports;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ConcurrentDictionary<string, Call> _calls = new(StringComparer.Ordinal);
    private long _answered;

    private DestinationPhone(int port)
    {
        Port = port;
        _transport = new SipTransportLayer(Options.Create(new SipTransportOptions()), _time, NullLogger<SipTransportLayer>.Instance);
        _layer = new SipTransactionLayer(_transport, new SipTimerOptions(), _time, NullLogger<SipTransactionLayer>.Instance) { User = this };
        // The agents take RTP ports from 40000-49999; the destination phone from above them.
        _ports = new RtpPortAllocator(Options.Create(new RtpPortAllocatorOptions { MinPort = 50000, MaxPort = 50999, BindAddress = "127.0.0.1" }));
    }

    /// <summary>The SIP port (UDP and TCP on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Calls answered (200 OK sent) since the start.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Calls answered and not yet ended by a BYE.</summary>
    public int ActiveCalls => _calls.Count;

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> (UDP and TCP) and answers from then on.</summary>
    public static async Task<DestinationPhone> StartAsync(int port, CancellationToken cancellationToken)
    {
        var phone = new DestinationPhone(port);
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        await phone._transport.StartAsync(
            [new SipListenAddress(SipTransportKind.Udp, endPoint), new SipListenAddress(SipTransportKind.Tcp, endPoint)],
            phone._layer,
            cancellationToken).ConfigureAwait(false);
        return phone;
    }

    public void OnRequest(ServerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var request = transaction.Request;
        switch (request.Method)
        {
            case SipMethods.Invite when request.To?.Tag is null:
                OnInvite((InviteServerTransaction)transaction);
                break;
            case SipMethods.Invite:
                // A re-INVITE: the phone keeps the session it has (RFC 3261 §14.2 lets a UAS refuse the change).
                transaction.Respond(transaction.CreateResponse(488));
                break;
            case SipMethods.Cancel:
                OnCancel(transaction);
                break;
            case SipMethods.Bye:
                OnBye(transaction);
                break;
            case SipMethods.Options:
                var ok = transaction.CreateResponse(200);
                ok.Headers.Add(HeaderNames.Allow, Allow);
                transaction.Respond(ok);
                break;
            default:
                var refused = transaction.CreateResponse(405);
                refused.Headers.Add(HeaderNames.Allow, Allow);
                transaction.Respond(refused);
                break;
        }
    }

    public void OnAck(IncomingMessage ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var request = (SipRequest)ack.Message!;
        if (_calls.TryGetValue(SipDialog.Key(request.CallId, request.To?.Tag, request.From?.Tag), out var call))
        {
            call.Acknowledged();
        }
    }

    public void OnStrayResponse(IncomingMessage response)
    {
    }

    private void OnInvite(InviteServerTransaction tx)
    {
        var request = tx.Request;
        if (!request.Body.IsEmpty && request.ContentType?.Split(';')[0].Trim().Equals("application/sdp", StringComparison.OrdinalIgnoreCase) != true)
        {
            var unsupported = tx.CreateResponse(415);
            unsupported.Headers.Add(HeaderNames.Accept, "application/sdp");
            tx.Respond(unsupported);
            return;
        }

        if (!_ports.TryAllocate(out var media))
        {
            tx.Respond(tx.CreateResponse(503, "No RTP port available"));
            return;
        }

        var local = _layer.Sender.GetLocalEndPoint(tx.Incoming.Source);
        var origin = SdpSessionOrigin.CreateRandom(local.Address);
        byte[] sdp;
        if (request.Body.IsEmpty)
        {
            sdp = SdpSerializer.SerializeToUtf8(SdpOfferBuilder.CreateOffer(origin, local.Address, media.Port));
        }
        else
        {
            var answer = SdpAnswerer.CreateAnswer(request.Body.Span, origin, local.Address, media.Port);
            if (!answer.IsAccepted)
            {
                _ = media.DisposeAsync().AsTask();
                tx.Respond(tx.CreateResponse(488, answer.Reason));
                return;
            }

            sdp = SdpSerializer.SerializeToUtf8(answer.Answer!);
        }

        var contact = $"<sip:{(string.IsNullOrEmpty(request.RequestUri.User) ? "" : request.RequestUri.User + "@")}{local.Address}:{local.Port}" +
                      $"{(tx.Incoming.Source.Transport == SipTransportKind.Tcp ? ";transport=tcp" : "")}>";
        var ringing = tx.CreateResponse(180);
        ringing.Headers.Add(HeaderNames.Contact, contact);
        var ok = tx.CreateResponse(200);
        ok.Headers.Add(HeaderNames.Contact, contact);
        ok.Headers.Add(HeaderNames.Allow, Allow);
        ok.Headers.Add(HeaderNames.ContentType, "application/sdp");
        ok.Body = sdp;

        var call = new Call(this, tx, SipDialog.ForServer(request, tx.LocalTag), media, ok);
        _calls[call.Dialog.Id] = call;
        tx.Respond(ringing);
        if (!tx.Respond(ok))
        {
            // cancelled between the 180 and now: the CANCEL answered the INVITE with 487
            _ = EndAsync(call);
            return;
        }

        Interlocked.Increment(ref _answered);
        call.StartRetransmitting();
    }

    private static void OnCancel(ServerTransaction cancel)
    {
        if (cancel.CancelledInvite is not { } invite)
        {
            cancel.Respond(cancel.CreateResponse(481));
            return;
        }

        cancel.Respond(cancel.CreateResponse(200));
        // Ignored (false) when the INVITE was already answered: a CANCEL has no effect after the 2xx (§9.2).
        invite.Respond(invite.CreateResponse(487));
    }

    private void OnBye(ServerTransaction tx)
    {
        var request = tx.Request;
        if (!_calls.TryRemove(SipDialog.Key(request.CallId, request.To?.Tag, request.From?.Tag), out var call))
        {
            tx.Respond(tx.CreateResponse(481));
            return;
        }

        // Ended before the 200 leaves: whoever sees the 200 sees the call gone.
        _ = ReleaseAsync(call);
        tx.Respond(tx.CreateResponse(200));
    }

    private async Task EndAsync(Call call)
    {
        if (_calls.TryRemove(new KeyValuePair<string, Call>(call.Dialog.Id, call)))
        {
            await ReleaseAsync(call).ConfigureAwait(false);
        }
    }

    private static async Task ReleaseAsync(Call call)
    {
        call.StopRetransmitting();
        await call.Media.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var call in _calls.Values)
        {
            await EndAsync(call).ConfigureAwait(false);
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One answered call: its dialog, RTP port and the 2xx resent until the ACK.</summary>
    private sealed class Call(DestinationPhone phone, InviteServerTransaction invite, SipDialog dialog, RtpPortLease media, SipResponse ok)
    {
        private readonly Lock _gate = new();
        private ITimer? _retransmit;
        private TimeSpan _interval;
        private long _giveUpAt;
        private bool _acknowledged;

        public SipDialog Dialog { get; } = dialog;

        public RtpPortLease Media { get; } = media;

        /// <summary>RFC 3261 §13.3.1.4: resend at T1, 2·T1 ... T2 until the ACK; after 64·T1 the call is dropped.</summary>
        public void StartRetransmitting()
        {
            var timers = phone._layer.Timers;
            lock (_gate)
            {
                if (_acknowledged || invite.Incoming.Source.IsReliable)
                {
                    return;
                }

                _interval = timers.T1;
                _giveUpAt = phone._time.GetTimestamp() + (long)(timers.TransactionTimeout.TotalSeconds * phone._time.TimestampFrequency);
                _retransmit = phone._time.CreateTimer(_ => Retransmit(), null, _interval, Timeout.InfiniteTimeSpan);
            }
        }

        public void Acknowledged()
        {
            lock (_gate)
            {
                _acknowledged = true;
                _retransmit?.Dispose();
                _retransmit = null;
            }
        }

        public void StopRetransmitting() => Acknowledged();

        private void Retransmit()
        {
            lock (_gate)
            {
                if (_acknowledged || _retransmit is null)
                {
                    return;
                }

                if (phone._time.GetTimestamp() < _giveUpAt)
                {
                    _ = SendQuietlyAsync();
                    var timers = phone._layer.Timers;
                    _interval = _interval * 2 < timers.T2 ? _interval * 2 : timers.T2;
                    _retransmit.Change(_interval, Timeout.InfiniteTimeSpan);
                    return;
                }
            }

            _ = phone.EndAsync(this); // no ACK within 64·T1
        }

        private async Task SendQuietlyAsync()
        {
            try
            {
                await phone._layer.Sender.SendAsync(ok, invite.Peer).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // the caller went away; the give-up ends the call
            }
        }
    }
}
