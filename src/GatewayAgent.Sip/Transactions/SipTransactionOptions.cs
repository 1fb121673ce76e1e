using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Sip.Transactions;

/// <summary>Limits of the transaction layer.</summary>
public sealed class SipTransactionOptions
{
    /// <summary>
    /// Server transactions in progress at once (a request not yet answered finally). Beyond it new requests get 503
    /// with Retry-After, statelessly: a flood is bounded in memory, not only in time.
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxServerTransactions { get; set; } = 20_000;

    /// <summary>
    /// Bytes held by completed server transactions (kept compact for 64·T1 = 32 s after their final response to
    /// answer retransmissions: 160–240 bytes each, plus the response's bytes when it cannot be rebuilt from the
    /// retransmission). Beyond it new requests get 503 with Retry-After, like <see cref="MaxServerTransactions"/>. The
    /// default, 32 MiB, holds ~2,700 calls/s of INVITE + BYE (~384 bytes a call: the INVITE's record with its merge key,
    /// the BYE's without its 200).
    /// </summary>
    [Range(65_536, 4_294_967_296)]
    public long MaxCompletedBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Bytes of requests held by server transactions in progress (each keeps its request, up to 64 KB, until its final
    /// response or Timer F/H: up to 32 s). Beyond it new requests get 503 with Retry-After (issue 12 item 2).
    /// </summary>
    [Range(65_536, 4_294_967_296)]
    public long MaxLiveBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// The share of each budget (transactions, live bytes, completed bytes) that requests from sources other than the
    /// known probers may use; the rest is kept for the probers, so a flood from strangers never takes the last of it.
    /// </summary>
    [Range(0.1, 1.0)]
    public double StrangerShare { get; set; } = 0.75;

    /// <summary>
    /// The share of <see cref="MaxCompletedBytes"/> that the completed transactions of sources other than the known
    /// probers may hold between them (besides <see cref="StrangerShare"/> of the whole): 12.5 %, 4 MiB by default,
    /// ~18,000 records, a stranger's retransmissions answered for ~560 requests/s. A flood of strangers' requests that
    /// are answered at once (OPTIONS) holds no more than that for 32 s, and the probers' records do not count against it.
    /// </summary>
    [Range(0.01, 1.0)]
    public double StrangerCompletedShare { get; set; } = 0.125;
}
