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
    /// answer retransmissions: a few hundred bytes each). Beyond it new requests get 503 with Retry-After, like
    /// <see cref="MaxServerTransactions"/>. The default, 48 MiB, holds ~1,500 calls/s of INVITE + BYE (~1 KB a call).
    /// </summary>
    [Range(65_536, 4_294_967_296)]
    public long MaxCompletedBytes { get; set; } = 48L * 1024 * 1024;

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
}
