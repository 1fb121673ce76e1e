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
    private readonly ConcurrentDictionary<UInt128, ServerTransaction> _server = new();
    private readonly ConcurrentDictionary<string, ClientTransaction> _client = new(StringComparer.Ordinal);
    private readonly CompletedTransactions _completed = new(); // and the merge index of live transactions too
    private readonly CompletedTransactions _acceptedClients = new(); // INVITE client transactions in Accepted (RFC 6026)
    private readonly CompletedTransactions _completedClients = new(); // non-INVITE client transactions in Completed (Timer K)
    private readonly ResponseForms _forms = new();
    private readonly Lock _sweepGate = new();
    private readonly ILogger _logger;
    private readonly int _maxServerTransactions;
    private readonly long _maxCompletedBytes;
    private readonly long _maxLiveBytes;
    private readonly double _strangerShare;
    private readonly long _maxStrangerCompletedBytes;
    private ITimer? _sweeper;
    private long _liveBytes;
    private long _liveBytesPeak;
    private long _invalidAnswered;
    private long _mergedRejected;
    private long _overloadRejected;
    private long _rebuiltSent;

    public SipTransactionLayer(ISipMessageSender sender, SipTimerOptions timers, TimeProvider time, ILogger<SipTransactionLayer> logger, SipTransactionOptions? options = null)
    {
        Sender = sender;
        Timers = timers;
        Time = time;
        _logger = logger;
        options ??= new SipTransactionOptions();
        _maxServerTransactions = options.MaxServerTransactions;
        _maxCompletedBytes = options.MaxCompletedBytes;
        _maxLiveBytes = options.MaxLiveBytes;
        _strangerShare = options.StrangerShare;
        _maxStrangerCompletedBytes = (long)(options.MaxCompletedBytes * options.StrangerCompletedShare);
    }

    /// <summary>
    /// Whether a request's source is a known prober, whose requests may use the whole of each budget; others stop at
    /// <see cref="SipTransactionOptions.StrangerShare"/> of it. Null: no prober is known, and every source may use all.
    /// </summary>
    public Func<System.Net.IPAddress, bool>? IsPriority { get; set; }

    /// <summary>
    /// The share of each budget that sources other than the known probers may use (<see cref="SipTransactionOptions.StrangerShare"/>);
    /// a transaction user applies it to its own budgets too (the probe answerer to its channels).
    /// </summary>
    public double StrangerShare => _strangerShare;

    /// <summary>Whether <paramref name="source"/> must keep to <see cref="StrangerShare"/>: there are known probers and it is not one.</summary>
    public bool IsStranger(System.Net.IPAddress source) => IsPriority is { } isPriority && !isPriority(source);

    /// <summary>Bytes of requests held by server transactions in progress (<see cref="SipTransactionOptions.MaxLiveBytes"/>).</summary>
    public long LiveTransactionBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>The most bytes live server transactions ever held at once.</summary>
    public long LiveTransactionBytesPeak => Interlocked.Read(ref _liveBytesPeak);

    /// <summary>The transaction user; set once before messages arrive.</summary>
    public ISipTransactionUser? User { get; set; }

    public ISipMessageSender Sender { get; }

    public SipTimerOptions Timers { get; }

    public TimeProvider Time { get; }

    /// <summary>Server transactions in progress (not yet answered finally).</summary>
    public int ServerTransactionCount => _server.Count;

    /// <summary>Completed server transactions kept as compact records until their Timer J / L.</summary>
    public int CompletedTransactionCount => _completed.Count;

    /// <summary>Bytes held by the completed server transactions (<see cref="SipTransactionOptions.MaxCompletedBytes"/>).</summary>
    public long CompletedTransactionBytes => _completed.Bytes;

    /// <summary>Distinct response forms the compact records share (<see cref="ResponseForm"/>).</summary>
    internal int CompletedResponseForms => _forms.Count;

    /// <summary>Responses rebuilt for retransmissions from a compact record's <see cref="ResponseForm"/>.</summary>
    internal long RebuiltResponsesSent => Interlocked.Read(ref _rebuiltSent);

    /// <summary>The part of <see cref="CompletedTransactionBytes"/> held for strangers (<see cref="SipTransactionOptions.StrangerCompletedShare"/>).</summary>
    public long StrangerCompletedTransactionBytes => _completed.StrangerBytes;

    /// <summary>Merge keys watched (RFC 3261 §8.2.2.2): one per request without a To tag, live or completed.</summary>
    internal int MergeKeyCount => _completed.MergeCount;

    public int ClientTransactionCount => _client.Count;

    /// <summary>INVITE client transactions answered 2xx, kept as compact records until Timer M (RFC 6026 §8.4).</summary>
    public int AcceptedClientTransactionCount => _acceptedClients.Count;

    /// <summary>Non-INVITE client transactions answered finally over UDP, kept as compact records until Timer K (T4).</summary>
    public int CompletedClientTransactionCount => _completedClients.Count;

    /// <summary>Invalid requests answered with 400/505 without a transaction.</summary>
    public long InvalidRequestsAnswered => Interlocked.Read(ref _invalidAnswered);

    public long MergedRequestsRejected => Interlocked.Read(ref _mergedRejected);

    /// <summary>New requests answered 503 because a budget (<see cref="SipTransactionOptions"/>) was spent.</summary>
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

        var key = ClientKey(branch, cseq.Method);
        if (_client.TryGetValue(key, out var tx))
        {
            tx.OnResponse(response);
        }
        else if (cseq.Method == SipMethods.Invite && _acceptedClients.TryGet(TransactionKeys.Of(key), out var skeleton, out var peer, out var success))
        {
            // RFC 6026 §8.4 Accepted: a 2xx (retransmitted or forked) goes to the TU, which ACKs it; anything else is
            // discarded.
            if (response.IsSuccess && success is InviteSuccessHandler handler && skeleton is not null &&
                SipParser.Parse(skeleton).Message is SipRequest invite)
            {
                handler(response, invite, peer);
            }
        }
        else if (cseq.Method != SipMethods.Invite && _completedClients.Contains(TransactionKeys.Of(key)))
        {
            // RFC 3261 §17.1.2.2 Completed: retransmitted final responses are absorbed until Timer K.
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
            // the ACK of a 2xx (its INVITE transaction is a compact record, or gone) is the TU's (RFC 3261 §17.2.1)
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

        if (_completed.TryGet(key, out CompletedResponse completed))
        {
            // Completed (§17.2.2): the final response again; Accepted (RFC 6026 §7.1): absorbed.
            if (completed.Form is { } form)
            {
                // rebuilt from this request: for a true retransmission the very bytes first sent, to where they went;
                // for a request that only shares the key, a valid response to what it says, sent to where it came from
                var rebuilt = form.Build(request, completed.ToTag);
                _ = SendCompletedAsync(request.TopVia?.Branch, ResponseRouting.GetResponseTarget(request.TopVia, message.Source), rebuilt);
                Interlocked.Increment(ref _rebuiltSent);
            }
            else if (completed.Bytes is { } bytes)
            {
                _ = SendCompletedAsync(request.TopVia?.Branch, completed.Peer, bytes);
            }

            return;
        }

        // Known probers may use the whole of each budget, strangers only their share of it (issue 12 item 2).
        // With no known probers (IsPriority null) there is no one to keep a share for.
        // Strangers' completed records have a budget of their own besides (StrangerCompletedShare).
        var stranger = IsStranger(message.Source.EndPoint.Address);
        var share = stranger ? _strangerShare : 1.0;
        if (_server.Count >= _maxServerTransactions * share || _completed.Bytes >= _maxCompletedBytes * share ||
            (stranger && _completed.StrangerBytes >= _maxStrangerCompletedBytes) ||
            Interlocked.Read(ref _liveBytes) + message.ByteCount > _maxLiveBytes * share)
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
        var text = ServerKeyText(request, request.Method);
        ServerTransaction tx = request.Method == SipMethods.Invite
            ? new InviteServerTransaction(this, text, message, target) { TableKey = key }
            : new NonInviteServerTransaction(this, text, message, target) { TableKey = key };
        if (!_server.TryAdd(key, tx))
        {
            if (_server.TryGetValue(key, out existing))
            {
                existing.OnRetransmission(message);
            }

            return;
        }

        var held = Interlocked.Add(ref _liveBytes, tx.HeldBytes);
        for (var peak = Interlocked.Read(ref _liveBytesPeak); held > peak; peak = Interlocked.Read(ref _liveBytesPeak))
        {
            if (Interlocked.CompareExchange(ref _liveBytesPeak, held, peak) == peak)
            {
                break;
            }
        }

        // Merged request (RFC 3261 §8.2.2.2): no To tag, and From tag, Call-ID and CSeq of a live transaction
        // that arrived by another path (another branch).
        if (request.To?.Tag is null && request.Method != SipMethods.Cancel)
        {
            var mergeKey = TransactionKeys.Merge(request.From?.Tag, request.CallId, request.CSeq);
            var winner = _completed.GetOrAddMerge(mergeKey, key);
            if (winner != key)
            {
                if (_completed.Contains(winner) || (_server.TryGetValue(winner, out var live) && live.State != TransactionState.Terminated))
                {
                    Interlocked.Increment(ref _mergedRejected);
                    tx.Respond(tx.CreateResponse(482));
                    return;
                }

                _completed.SetMerge(mergeKey, key);
            }

            tx.MergeKey = mergeKey; // removed with the transaction, in Remove
        }

        if (request.Method == SipMethods.Cancel)
        {
            var inviteKey = ServerKey(request, SipMethods.Invite);
            if (_server.TryGetValue(inviteKey, out var cancelled) && cancelled is InviteServerTransaction invited)
            {
                tx.CancelledInvite = invited;
            }
            else if (_completed.Contains(inviteKey))
            {
                // RFC 3261 §9.2: the INVITE has its final response, so the CANCEL has no effect on it; having matched
                // a transaction, the CANCEL itself is answered 200.
                tx.Respond(tx.CreateResponse(200));
                return;
            }
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
                if (_server.TryRemove(new KeyValuePair<UInt128, ServerTransaction>(server.TableKey, server)))
                {
                    Interlocked.Add(ref _liveBytes, -server.HeldBytes);
                }

                if (server.MergeKey is { } mergeKey && !server.Retired)
                {
                    _completed.RemoveMerge(mergeKey, server.TableKey);
                }

                break;
            case ClientTransaction client:
                _client.TryRemove(new KeyValuePair<string, ClientTransaction>(client.Key, client));
                break;
        }
    }

    /// <summary>
    /// Keeps a server transaction that sent its final response as a compact record for the rest of its lifetime
    /// (64·T1 from now); the transaction object then leaves the table.
    /// </summary>
    internal void Retire(ServerTransaction transaction, SipResponse? response, byte[]? sent)
    {
        var expiresAt = ExpiresAfter(Timers.TransactionTimeout);
        var request = transaction.Request;
        var toTag = request.To?.Tag is null ? transaction.LocalTag : null;
        var form = response is null || sent is null || System.Text.Encoding.UTF8.GetByteCount(toTag ?? "") > CompletedTransactions.MaxTagBytes
            ? null
            : _forms.Intern(ResponseForm.TryCreate(request, response, toTag, sent));
        var stranger = IsStranger(transaction.Incoming.Source.EndPoint.Address);
        var added = form is not null
            ? _completed.TryAddRebuilt(transaction.TableKey, transaction.MergeKey, transaction.Peer, form, toTag, expiresAt, stranger)
            : _completed.TryAdd(transaction.TableKey, transaction.MergeKey, transaction.Peer, sent, expiresAt, stranger: stranger);
        if (!added)
        {
            return;
        }

        StartSweeper();
    }

    /// <summary>
    /// Keeps an INVITE client transaction answered 2xx as a compact record for the rest of its Accepted state (Timer M,
    /// 64·T1 from now): 2xx retransmissions and forks still reach <paramref name="success"/> (RFC 6026 §8.4), with a
    /// skeleton of the request (<see cref="InviteSuccessHandler"/>) made from bytes the record keeps; the transaction
    /// with its request, response and timers is gone, and the record holds no object of its own (issue 13: at 1,667
    /// probes/s 53,000 are Accepted at once).
    /// </summary>
    internal void RetireAccepted(ClientTransaction transaction, InviteSuccessHandler? success)
    {
        var expiresAt = ExpiresAfter(Timers.TransactionTimeout);
        var skeleton = success is null ? null : Skeleton(transaction.Request).ToBytes();
        if (!_acceptedClients.TryAdd(TransactionKeys.Of(transaction.Key), null, transaction.Peer, skeleton, expiresAt, success))
        {
            return;
        }

        StartSweeper();
    }

    /// <summary>
    /// Keeps a non-INVITE client transaction that received its final response over UDP as a compact record for the rest
    /// of its Completed state (Timer K, T4 from now), absorbing retransmissions of that response (RFC 3261 §17.1.2.2);
    /// the transaction with its request, response and timers is gone (issue 13: a BYE per probe, 8,000 of them at 1,667
    /// probes/s).
    /// </summary>
    internal void RetireCompleted(ClientTransaction transaction)
    {
        var expiresAt = ExpiresAfter(Timers.T4);
        if (_completedClients.TryAdd(TransactionKeys.Of(transaction.Key), null, default, null, expiresAt))
        {
            StartSweeper();
        }
    }

    /// <summary>The timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which a record made now for <paramref name="lifetime"/> expires.</summary>
    private long ExpiresAfter(TimeSpan lifetime) => Time.GetTimestamp() + (long)(lifetime.TotalSeconds * Time.TimestampFrequency);

    private void StartSweeper()
    {
        lock (_sweepGate)
        {
            // one timer for all records, alive only while there are records: each table's records all live as long, so
            // each table is in expiry order and a sweep only looks at its oldest
            _sweeper ??= Time.CreateTimer(static s => ((SipTransactionLayer)s!).Sweep(), this, SweepEvery, SweepEvery);
        }
    }

    /// <summary>What an ACK for a 2xx needs of an INVITE (§13.2.2.4 and §12.1.2): Request-URI, top Via, From, To, Call-ID, CSeq.</summary>
    private static SipRequest Skeleton(SipRequest invite)
    {
        var skeleton = new SipRequest(invite.Method, invite.RequestUri);
        foreach (var name in SkeletonHeaders)
        {
            if (invite.Headers[name] is { } value)
            {
                skeleton.Headers.Add(name, value);
            }
        }

        return skeleton;
    }

    private static readonly string[] SkeletonHeaders = [HeaderNames.Via, HeaderNames.From, HeaderNames.To, HeaderNames.CallId, HeaderNames.CSeq];

    /// <summary>How often expired compact records are removed: they may outlive their 64·T1 by up to this.</summary>
    private TimeSpan SweepEvery => Timers.T1 * 2;

    private void Sweep()
    {
        var now = Time.GetTimestamp();
        _completed.Sweep(now);
        _acceptedClients.Sweep(now);
        _completedClients.Sweep(now);
        lock (_sweepGate)
        {
            if (_completed.Count == 0 && _acceptedClients.Count == 0 && _completedClients.Count == 0 && _sweeper is { } sweeper)
            {
                sweeper.Dispose();
                _sweeper = null;
            }
        }
    }

    private async Task SendCompletedAsync(string? branch, SipTarget peer, byte[] response)
    {
        try
        {
            await Sender.SendAsync(response, peer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            SipLog.TransportError(_logger, branch ?? "completed", peer.ToString(), ex);
        }
    }

    internal void LogTransportError(string key, SipTarget peer, Exception error) =>
        SipLog.TransportError(_logger, key, peer.ToString(), error);

    private static string ClientKey(string branch, string method) => branch + "|" + method;

    /// <summary>
    /// RFC 3261 §17.2.3: branch + sent-by + method; for a branch without the magic cookie, the RFC 2543 rule
    /// (Request-URI, From tag, Call-ID, CSeq number, top Via). As a digest (<see cref="TransactionKeys"/>).
    /// </summary>
    private static UInt128 ServerKey(SipRequest request, string method)
    {
        var via = request.TopVia!;
        return via.HasRfc3261Branch ? TransactionKeys.Server(via, method) : TransactionKeys.Of(ServerKeyText(request, method));
    }

    /// <summary>The key as text, for a new transaction's <see cref="SipTransaction.Key"/> (logs).</summary>
    private static string ServerKeyText(SipRequest request, string method)
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
