using System.Globalization;
using GatewayAgent.Sip.Dialogs;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Sdp;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// The UAC that places probe calls: INVITE with an SDP offer, then ends the call cleanly — CANCEL when told to stop
/// at ringing or on timeout after a provisional (RFC 3261 §9.1), else ACK and BYE after the hold time.
/// </summary>
public sealed class ProbeCaller : ISipTransactionUser
{
    /// <summary>The least time an answered call waits for the answer to its BYE before the result is returned.</summary>
    internal static readonly TimeSpan MinByeWait = TimeSpan.FromMilliseconds(500);

    private readonly SipTransactionLayer _layer;
    private readonly RtpPortAllocator? _ports;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InviteSuccessHandler _ackEach;

    public ProbeCaller(SipTransactionLayer layer, RtpPortAllocator? ports, TimeProvider time, ILogger<ProbeCaller> logger)
    {
        _layer = layer;
        _ports = ports;
        _time = time;
        _logger = logger;
        _ackEach = AckEach;
    }

    public async Task<ProbeCallResult> CallAsync(ProbeCallRequest call, CancellationToken cancellationToken = default)
    {
        var local = _layer.Sender.GetLocalEndPoint(call.Target);
        var sentBy = SipEndPoints.FormatHostPort(local);
        var transport = call.Target.ViaTransport;
        RtpPortLease? media = null;
        _ports?.TryAllocate(out media);
        await using var mediaLease = media;

        var invite = new SipRequest(SipMethods.Invite, call.RequestUri.Clone());
        invite.Headers.Add(HeaderNames.Via, $"SIP/2.0/{transport} {sentBy};branch={SipIdentifiers.NewBranch()};rport");
        invite.Headers.Add(HeaderNames.MaxForwards, "70");
        if (call.Route is not null)
        {
            invite.Headers.Add(HeaderNames.Route, call.Route);
        }

        invite.Headers.Add(HeaderNames.From, $"<sip:{call.CallerNumber}@{sentBy}>;tag={SipIdentifiers.NewTag()}");
        invite.Headers.Add(HeaderNames.To, $"<{call.RequestUri}>");
        invite.Headers.Add(HeaderNames.CallId, SipIdentifiers.NewCallId(local.Address.ToString()));
        invite.Headers.Add(HeaderNames.CSeq, "1 INVITE");
        invite.Headers.Add(HeaderNames.Contact, $"<sip:{call.CallerNumber}@{sentBy}{(transport == "TCP" ? ";transport=tcp" : "")}>");
        invite.Headers.Add(HeaderNames.UserAgent, "gateway-prober");
        if (media is not null)
        {
            invite.Headers.Add(HeaderNames.ContentType, "application/sdp");
            invite.Body = SdpSerializer.SerializeToUtf8(SdpOfferBuilder.CreateOffer(SdpSessionOrigin.CreateRandom(local.Address), local.Address, media.Port));
        }

        var start = _time.GetTimestamp();
        // No response is kept by these handlers: the transaction lives on for Timer M (32 s) after the 2xx, and whatever
        // its handlers hold lives with it — at thousands of probes a second that is most of the prober's heap.
        var ringing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int? provisional = null;
        TimeSpan? firstSign = null;
        // The handlers are attached before the INVITE leaves: a fast peer's 180 and 200 can come back before
        // SendRequest returns, and a 2xx seen by nobody would get no ACK (its retransmission would, after our BYE).
        var tx = (InviteClientTransaction)_layer.SendRequest(invite, call.Target, started =>
        {
            var invitation = (InviteClientTransaction)started;
            invitation.Provisional += r =>
            {
                if (r.StatusCode > 100 && provisional is null)
                {
                    provisional = r.StatusCode;
                    firstSign = _time.GetElapsedTime(start);
                    ringing.TrySetResult();
                }
            };
            // Every 2xx (a retransmission, or another fork) gets its ACK, in the dialog that 2xx names (§13.2.2.4).
            invitation.Success += _ackEach;
        });

        var cancelled = false;
        var timedOut = false;
        try
        {
            var waitFor = call.CancelOnRinging ? Task.WhenAny(tx.Completion, ringing.Task) : (Task)tx.Completion;
            await waitFor.WaitAsync(call.Timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }

        if (!tx.Completion.IsCompleted)
        {
            // RFC 3261 §9.1: a CANCEL may follow any provisional response, 100 Trying included (the transaction is
            // then Proceeding); before one it must not be sent.
            if (provisional is not null || tx.State == TransactionState.Proceeding)
            {
                cancelled = true;
                await CancelAsync(invite, call.Target).ConfigureAwait(false);
                try
                {
                    await tx.Completion.WaitAsync(_layer.Timers.TransactionTimeout, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
            }

            if (!tx.Completion.IsCompleted)
            {
                // No provisional: RFC 3261 §9.1 forbids a CANCEL; the transaction runs out on Timer B by itself.
                return new ProbeCallResult(invite.CallId!, provisional, 408, firstSign ?? _time.GetElapsedTime(start), "no final response within the probe timeout")
                {
                    TimedOut = true,
                };
            }
        }

        var result = await tx.Completion.ConfigureAwait(false);
        var final = result.StatusCode;
        firstSign ??= _time.GetElapsedTime(start);
        int? byeStatus = null;
        string? answeredContact = null;
        if (result.Response is { IsSuccess: true } ok)
        {
            answeredContact = ok.Headers[HeaderNames.Contact];
            var dialog = SipDialog.ForClient(invite, ok);
            if (!cancelled && call.HoldFor > TimeSpan.Zero)
            {
                await Task.Delay(call.HoldFor, _time, cancellationToken).ConfigureAwait(false);
            }

            // The answer is the probe's outcome; the BYE's own answer is only waited for within what is left of the
            // probe timeout (at least MinByeWait). A peer that never answers our BYE (a crashed far end, a scenario that
            // aborted the call) must not turn an answered probe into a timeout; the BYE transaction runs on by itself
            // (Timer F) and its failure is still logged.
            var bye = ByeAsync(dialog, call.Target, transport, sentBy);
            var byeWait = call.Timeout - _time.GetElapsedTime(start);
            try
            {
                byeStatus = await bye.WaitAsync(byeWait > MinByeWait ? byeWait : MinByeWait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        return new ProbeCallResult(invite.CallId!, provisional, final, firstSign.Value, result.Error, byeStatus)
        {
            TimedOut = timedOut,
            AnsweredContact = answeredContact,
        };
    }

    /// <summary>
    /// The TU's 2xx handler, one for every call: it ACKs every 2xx, a retransmission or a fork (RFC 3261 §13.2.2.4), in
    /// the dialog that 2xx names, from the INVITE (or the skeleton of it that the layer keeps while the transaction is
    /// Accepted) and the peer it went to. It captures nothing, so the layer keeps no call state for Timer M (32 s): at
    /// 1,667 probes/s that was 53,000 closures over the INVITE's headers (issue 13).
    /// </summary>
    private void AckEach(SipResponse response, SipRequest invite, SipTarget peer)
    {
        var via = invite.TopVia!;
        var ack = SipDialog.ForClient(invite, response).CreateAck(invite.CSeq!.Value.Number, via.Transport, via.SentBy);
        _ = SendQuietlyAsync(ack, peer);
    }

    private async Task CancelAsync(SipRequest invite, SipTarget target)
    {
        // RFC 3261 §9.1: same Request-URI, Call-ID, From, To, CSeq number and top Via as the INVITE.
        var cancel = new SipRequest(SipMethods.Cancel, invite.RequestUri);
        cancel.Headers.Add(HeaderNames.Via, invite.Headers[HeaderNames.Via]!);
        cancel.Headers.Add(HeaderNames.MaxForwards, "70");
        cancel.Headers.CopyFrom(invite.Headers, HeaderNames.Route);
        cancel.Headers.Add(HeaderNames.From, invite.Headers[HeaderNames.From]!);
        cancel.Headers.Add(HeaderNames.To, invite.Headers[HeaderNames.To]!);
        cancel.Headers.Add(HeaderNames.CallId, invite.CallId!);
        cancel.Headers.Add(HeaderNames.CSeq, invite.CSeq!.Value.Number.ToString(CultureInfo.InvariantCulture) + " CANCEL");
        await _layer.SendRequest(cancel, target).Completion.ConfigureAwait(false);
    }

    private async Task<int> ByeAsync(SipDialog dialog, SipTarget target, string transport, string sentBy)
    {
        var bye = dialog.CreateRequest(SipMethods.Bye, transport, sentBy);
        var result = await _layer.SendRequest(bye, target).Completion.ConfigureAwait(false);
        if (result.StatusCode >= 300)
        {
            SipLog.ByeFailed(_logger, dialog.CallId, result.StatusCode);
        }

        return result.StatusCode;
    }

    private async Task SendQuietlyAsync(SipMessage message, SipTarget target)
    {
        try
        {
            await _layer.Sender.SendAsync(message, target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            SipLog.TransportError(_logger, "ACK", target.ToString(), ex);
        }
    }

    /// <summary>As the only transaction user (a prober process): in-dialog BYEs are accepted, other requests refused.</summary>
    public void OnRequest(ServerTransaction transaction)
    {
        var status = transaction.Request.Method switch
        {
            SipMethods.Bye => 200,
            SipMethods.Options => 200,
            SipMethods.Invite or SipMethods.Cancel => 481,
            _ => 405,
        };
        transaction.Respond(transaction.CreateResponse(status));
    }

    public void OnAck(IncomingMessage ack)
    {
    }

    public void OnStrayResponse(IncomingMessage response)
    {
    }
}
