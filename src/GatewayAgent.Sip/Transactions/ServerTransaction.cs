using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>A server transaction: the TU answers <see cref="SipTransaction.Request"/> through <see cref="Respond"/>.</summary>
public abstract class ServerTransaction : SipTransaction
{
    private protected ServerTransaction(SipTransactionLayer layer, string key, IncomingMessage incoming, SipTarget responseTarget, TransactionState initial)
        : base(layer, key, (SipRequest)incoming.Message!, responseTarget, initial)
    {
        Incoming = incoming;
        LocalTag = SipIdentifiers.NewTag();
    }

    public IncomingMessage Incoming { get; }

    /// <summary>The request's bytes, counted against <see cref="SipTransactionOptions.MaxLiveBytes"/> while the transaction lives.</summary>
    internal int HeldBytes => Incoming.ByteCount;

    /// <summary>The To tag this transaction puts in its responses (unless the request already had one).</summary>
    public string LocalTag { get; }

    /// <summary>The last response sent, resent on request retransmissions.</summary>
    public SipResponse? LastResponse { get; private protected set; }

    /// <summary>The From-tag/Call-ID/CSeq key under which the layer watches for merged requests (§8.2.2.2), if any.</summary>
    internal UInt128? MergeKey { get; set; }

    /// <summary>The key the layer finds this transaction under (a digest of <see cref="SipTransaction.Key"/>'s parts).</summary>
    internal UInt128 TableKey { get; init; }

    /// <summary>For a CANCEL: the INVITE server transaction it matched (RFC 3261 §9.2), or null (answer 481).</summary>
    public InviteServerTransaction? CancelledInvite { get; internal set; }

    /// <summary>A response to the request with this transaction's To tag.</summary>
    public SipResponse CreateResponse(int statusCode, string? reasonPhrase = null) =>
        Request.CreateResponse(statusCode, reasonPhrase, LocalTag);

    /// <summary>Sends a response; ignored (returns false) once the transaction no longer accepts one from the TU.</summary>
    public abstract bool Respond(SipResponse response);

    /// <summary>Called by the layer when the same request arrives again.</summary>
    internal abstract void OnRetransmission(IncomingMessage message);

    /// <summary>True once the layer keeps this transaction's remaining duty as a compact record (see <see cref="Retire"/>).</summary>
    internal bool Retired { get; private set; }

    /// <summary>
    /// Hands what is left of this transaction once its final response is sent (RFC 3261 §17.2.2 Completed: resend
    /// <paramref name="response"/>, sent as <paramref name="sent"/>, on every retransmission; RFC 6026 Accepted: absorb
    /// retransmissions, null) to the layer as a compact record for the rest of the transaction's lifetime (64·T1), and
    /// ends this object: a completed transaction costs its key and its response's bytes — or only its To tag, when the
    /// response can be rebuilt from the retransmission (<see cref="ResponseForm"/>) — not the parsed request and response. Caller holds
    /// <see cref="SipTransaction.Gate"/>.
    /// </summary>
    private protected void Retire(SipResponse? response, byte[]? sent)
    {
        Retired = true;
        Layer.Retire(this, response, sent);
        MoveTo(TransactionState.Terminated);
    }
}
