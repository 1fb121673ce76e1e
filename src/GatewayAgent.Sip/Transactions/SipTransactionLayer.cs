using System.Collections.Concurrent;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// The RFC 3261 §17 transaction layer: matches incoming messages to transactions (§17.1.3, §17.2.3, with the RFC 2543
/// fallback for branches without the magic cookie), creates server transactions for new requests, detects merged
/// requests (§8.2.2.2, 482), matches CANCEL to its INVITE (§9.2), and answers invalid requests statelessly.
/// </summary>
public sealed class SipTransactionLayer : ISipMessageHandler
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _server = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientTransaction> _client = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServerTransaction> _byMergeKey = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly int _maxServerTransactions;
    private long _invalidAnswered;
    private long _mergedRejected;
    private long _overloadRejected;

    public SipTransactionLayer(ISipMessageSender sender, SipTimerOptions timers, TimeProvider time, ILogger<SipTransactionLayer> logger, SipTransactionOptions? options = null)
    {
        Sender = sender;
        Timers = timers;
        Time = time;
        _logger = logger;
        _maxServerTransactions = (options ?? new SipTransactionOptions()).MaxServerTransactions;
    }

    /// <summary>The transaction user; set once before messages arrive.</summary>
    public ISipTransactionUser? User { get; set; }

    public ISipMessageSender Sender { get; }

    public SipTimerOptions Timers { get; }

    public TimeProvider Time { get; }

    public int ServerTransactionCount => _server.Count;

    public int ClientTransactionCount => _client.Count;

    /// <summary>Invalid requests answered with 400/505 without a transaction.</summary>
    public long InvalidRequestsAnswered => Interlocked.Read(ref _invalidAnswered);

    public long MergedRequestsRejected => Interlocked.Read(ref _mergedRejected);

    /// <summary>New requests answered 503 because <see cref="SipTransactionOptions.MaxServerTransactions"/> were alive.</summary>
    public long OverloadRejected => Interlocked.Read(ref _overloadRejected);

    /// <summary>Starts a client transaction for a request whose top Via already carries a fresh branch.</summary>
    public ClientTransaction SendRequest(SipRequest request, SipTarget target) => SendRequest(request, target, null);

    /// <summary>
    /// Starts a client transaction; <paramref name="beforeStart"/> runs before the request is sent, so handlers of
    /// <see cref="ClientTransaction.Provisional"/> and <see cref="InviteClientTransaction.Success"/> attached there see
    /// even a response that comes back at once.
    /// </summary>
    public ClientTransaction SendRequest(SipRequest request, SipTarget target, Action<ClientTransaction>? beforeStart)
    {
        var via = request.TopVia ?? throw new ArgumentException("request has no Via", nameof(request));
        var method = request.Method;
        var key = ClientKey(via.Branch ?? throw new ArgumentException("Via has no branch", nameof(request)), method);
        ClientTransaction tx = method == SipMethods.Invite
            ? new InviteClientTransaction(this, key, request, target)
            : new NonInviteClientTransaction(this, key, request, target);
        if (!_client.TryAdd(key, tx))
        {
            throw new InvalidOperationException($"a client transaction {key} already exists");
        }

        beforeStart?.Invoke(tx);
        tx.Start();
        return tx;
    }

    public void OnMessage(IncomingMessage message)
    {
        try
        {
            switch (message.Message)
            {
                case SipResponse:
                    OnResponse(message);
                    break;
                case SipRequest request:
                    OnRequest(message, request);
                    break;
            }
        }
        catch (Exception ex)
        {
            // One bad message or a TU bug must not take the receive loop down.
            SipLog.MessageHandlingFailed(_logger, message.Source.ToString(), ex);
        }
    }

    private void OnResponse(IncomingMessage message)
    {
        var response = (SipResponse)message.Message!;
        if (!message.Parse.IsValid || response.TopVia?.Branch is not { } branch || response.CSeq is not { } cseq)
        {
            return; // an invalid response is discarded (RFC 3261 §8.1.3.3 for extra Vias, §18.1.2)
        }

        if (response.Vias.Count != 1)
        {
            return; // RFC 3261 §8.1.3.3: a UAC discards a response with more than one Via
        }

        if (_client.TryGetValue(ClientKey(branch, cseq.Method), out var tx))
        {
            tx.OnResponse(response);
        }
        else
        {
            User?.OnStrayResponse(message);
        }
    }

    private void OnRequest(IncomingMessage message, SipRequest request)
    {
        if (message.Parse.Status == SipParseStatus.Invalid)
        {
            if (request.Method != SipMethods.Ack)
            {
                RespondStatelessly(message, request, message.Parse.ResponseCode, message.Parse.Error);
                Interlocked.Increment(ref _invalidAnswered);
            }

            return;
        }

        var key = ServerKey(request, request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method);
        if (request.Method == SipMethods.Ack)
        {
            if (_server.TryGetValue(key, out var ist) && ist is InviteServerTransaction { LastResponse.IsSuccess: false } invite)
            {
                invite.OnAck();
            }
            else
            {
                User?.OnAck(message);
            }

            return;
        }

        if (_server.TryGetValue(key, out var existing))
        {
            existing.OnRetransmission(message);
            return;
        }

        if (_server.Count >= _maxServerTransactions)
        {
            // RFC 3261 §21.5.4: 503 with Retry-After; stateless, so the overload costs no further memory.
            if (Interlocked.Increment(ref _overloadRejected) % 1000 == 1)
            {
                SipLog.Overloaded(_logger, _server.Count, OverloadRejected);
            }

            RespondStatelessly(message, request, 503, null, retryAfterSeconds: 5);
            return;
        }

        var target = ResponseRouting.GetResponseTarget(request.TopVia, message.Source);
        ServerTransaction tx = request.Method == SipMethods.Invite
            ? new InviteServerTransaction(this, key, message, target)
            : new NonInviteServerTransaction(this, key, message, target);
        if (!_server.TryAdd(key, tx))
        {
            if (_server.TryGetValue(key, out existing))
            {
                existing.OnRetransmission(message);
            }

            return;
        }

        // Merged request (RFC 3261 §8.2.2.2): no To tag, and From tag, Call-ID and CSeq of a live transaction
        // that arrived by another path (another branch).
        if (request.To?.Tag is null && request.Method != SipMethods.Cancel)
        {
            var mergeKey = $"{request.From?.Tag}|{request.CallId}|{request.CSeq}";
            var winner = _byMergeKey.GetOrAdd(mergeKey, tx);
            if (!ReferenceEquals(winner, tx))
            {
                if (winner.State != TransactionState.Terminated)
                {
                    Interlocked.Increment(ref _mergedRejected);
                    tx.Respond(tx.CreateResponse(482));
                    return;
                }

                _byMergeKey[mergeKey] = tx;
            }

            tx.MergeKey = mergeKey; // removed with the transaction, in Remove
        }

        if (request.Method == SipMethods.Cancel &&
            _server.TryGetValue(ServerKey(request, SipMethods.Invite), out var cancelled) && cancelled is InviteServerTransaction invited)
        {
            tx.CancelledInvite = invited;
        }

        if (User is { } user)
        {
            user.OnRequest(tx);
        }
        else
        {
            tx.Respond(tx.CreateResponse(503));
        }
    }

    /// <summary>Answers a request without a transaction (used for requests too broken to process).</summary>
    private void RespondStatelessly(IncomingMessage message, SipRequest request, int code, string? reason, int? retryAfterSeconds = null)
    {
        var response = request.CreateResponse(code, Sanitize(reason), SipIdentifiers.NewTag());
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.Add(HeaderNames.RetryAfter, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var target = ResponseRouting.GetResponseTarget(request.TopVia, message.Source);
        _ = SendStatelessAsync(response, target);
    }

    private async Task SendStatelessAsync(SipResponse response, SipTarget target)
    {
        try
        {
            await Sender.SendAsync(response, target).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            SipLog.TransportError(_logger, "stateless", target.ToString(), ex);
        }
    }

    // A reason phrase is free text but must stay on one line of UTF-8 text.
    private static string? Sanitize(string? reason) =>
        reason is null ? null : new string(reason.Where(c => c >= ' ' && c != 0x7F).Take(120).ToArray());

    internal void Remove(SipTransaction transaction)
    {
        switch (transaction)
        {
            case ServerTransaction server:
                _server.TryRemove(new KeyValuePair<string, ServerTransaction>(server.Key, server));
                if (server.MergeKey is { } mergeKey)
                {
                    _byMergeKey.TryRemove(new KeyValuePair<string, ServerTransaction>(mergeKey, server));
                }

                break;
            case ClientTransaction client:
                _client.TryRemove(new KeyValuePair<string, ClientTransaction>(client.Key, client));
                break;
        }
    }

    internal void LogTransportError(string key, SipTarget peer, Exception error) =>
        SipLog.TransportError(_logger, key, peer.ToString(), error);

    private static string ClientKey(string branch, string method) => branch + "|" + method;

    /// <summary>
    /// RFC 3261 §17.2.3: branch + sent-by + method; for a branch without the magic cookie, the RFC 2543 rule
    /// (Request-URI, From tag, Call-ID, CSeq number, top Via).
    /// </summary>
    private static string ServerKey(SipRequest request, string method)
    {
        var via = request.TopVia!;
        if (via.HasRfc3261Branch)
        {
            return via.Branch + "|" + via.SentBy + "|" + method;
        }

        return string.Join('|', "2543", request.RequestUri.ToString(), request.From?.Tag, request.CallId,
            request.CSeq?.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), via.SentBy, via.Branch, method);
    }
}
