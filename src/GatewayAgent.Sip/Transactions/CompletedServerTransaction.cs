using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>
/// What the layer keeps of a server transaction after its final response, for the rest of its lifetime (Timer J,
/// or RFC 6026 Timer L): its key, where responses go, the serialized final response to resend on a retransmission
/// (null: absorb, the Accepted state of an INVITE answered 2xx) and its merge key (RFC 3261 §8.2.2.2). A few hundred
/// bytes instead of the parsed request and response (~5 KB each, bench/RESULTS.md).
/// </summary>
internal sealed class CompletedServerTransaction(string key, string? mergeKey, SipTarget peer, byte[]? response, bool isInvite, long expiresAt)
{
    /// <summary>Estimated bytes per record besides its strings and response: the object, the dictionary entry, the queue slot.</summary>
    private const int Overhead = 160;

    public string Key => key;

    public string? MergeKey => mergeKey;

    public SipTarget Peer => peer;

    public byte[]? Response => response;

    public bool IsInvite => isInvite;

    /// <summary>When it leaves the table, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    public long ExpiresAt => expiresAt;

    /// <summary>Bytes held, counted against <see cref="SipTransactionOptions.MaxCompletedBytes"/>.</summary>
    public long Size { get; } = Overhead + (2L * key.Length) + (2L * (mergeKey?.Length ?? 0)) + (response?.Length ?? 0);
}
