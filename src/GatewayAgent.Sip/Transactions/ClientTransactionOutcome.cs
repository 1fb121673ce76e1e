namespace GatewayAgent.Sip.Transactions;

/// <summary>How a client transaction ended, from the TU's point of view.</summary>
public enum ClientTransactionOutcome
{
    /// <summary>A final response arrived (see <see cref="ClientTransactionResult.Response"/>).</summary>
    Response,

    /// <summary>Timer B or F fired: the peer never answered finally (the TU treats it as 408).</summary>
    Timeout,

    /// <summary>The transport could not deliver the request (the TU treats it as 503).</summary>
    TransportError,
}
