using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>A client transaction: the TU watches <see cref="Provisional"/> and awaits <see cref="Completion"/>.</summary>
public abstract class ClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<ClientTransactionResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected ClientTransaction(SipTransactionLayer layer, string key, SipRequest request, SipTarget target, TransactionState initial)
        : base(layer, key, request, target, initial)
    {
    }

    /// <summary>Raised for every provisional response passed to the TU (on the receive path: keep handlers short).</summary>
    public event Action<SipResponse>? Provisional;

    /// <summary>The final response, or a timeout or transport error.</summary>
    public Task<ClientTransactionResult> Completion => _completion.Task;

    internal abstract void Start();

    internal abstract void OnResponse(SipResponse response);

    private protected void RaiseProvisional(SipResponse response) => Provisional?.Invoke(response);

    /// <summary>
    /// Completes the transaction for the TU and lets go of its provisional handlers: no provisional response is passed
    /// up after a final one, and an INVITE transaction lives on for Timer M (32 s) — whatever its handlers hold (the
    /// TU's call state) would live as long.
    /// </summary>
    private protected void Complete(ClientTransactionResult result)
    {
        Provisional = null;
        _completion.TrySetResult(result);
    }

    private protected override void OnTransportError(Exception error)
    {
        base.OnTransportError(error);
        Complete(new ClientTransactionResult(ClientTransactionOutcome.TransportError, null, error.Message));
    }
}
