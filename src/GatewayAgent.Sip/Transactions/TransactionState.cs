namespace GatewayAgent.Sip.Transactions;

/// <summary>The states of the RFC 3261 §17 transaction machines (Accepted from RFC 6026).</summary>
public enum TransactionState
{
    Calling,
    Trying,
    Proceeding,
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}
