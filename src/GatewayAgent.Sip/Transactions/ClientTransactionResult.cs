using GatewayAgent.Sip.Messages;

namespace GatewayAgent.Sip.Transactions;

/// <summary>The final result of a client transaction.</summary>
public sealed record ClientTransactionResult(ClientTransactionOutcome Outcome, SipResponse? Response, string? Error = null)
{
    /// <summary>The status code the TU acts on: the response's, 408 for a timeout, 503 for a transport error (RFC 3261 §8.1.3.1).</summary>
    public int StatusCode => Outcome switch
    {
        ClientTransactionOutcome.Response => Response!.StatusCode,
        ClientTransactionOutcome.Timeout => 408,
        _ => 503,
    };
}
