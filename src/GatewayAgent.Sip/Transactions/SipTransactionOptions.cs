using System.ComponentModel.DataAnnotations;

namespace GatewayAgent.Sip.Transactions;

/// <summary>Limits of the transaction layer.</summary>
public sealed class SipTransactionOptions
{
    /// <summary>
    /// Server transactions alive at once (a completed one lives 64·T1 = 32 s on UDP). Beyond it new requests get
    /// 503 with Retry-After, statelessly: a flood is bounded in memory, not only in time.
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxServerTransactions { get; set; } = 20_000;
}
