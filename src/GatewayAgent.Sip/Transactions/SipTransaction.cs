using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Transactions;

/// <summary>What the four RFC 3261 §17 machines share: key, request, peer, state, lock and the way out of the table.</summary>
public abstract class SipTransaction
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private protected SipTransaction(SipTransactionLayer layer, string key, SipRequest request, SipTarget peer, TransactionState initial)
    {
        Layer = layer;
        Key = key;
        Request = request;
        Peer = peer;
        State = initial;
    }

    public string Key { get; }

    public SipRequest Request { get; }

    /// <summary>The remote side: where requests go (client) or responses go (server).</summary>
    public SipTarget Peer { get; }

    public TransactionState State { get; private set; }

    /// <summary>Completes when the transaction reaches Terminated and has left the table.</summary>
    public Task Terminated => _terminated.Task;

    private protected SipTransactionLayer Layer { get; }

    private protected object Gate { get; } = new();

    private protected SipTimerOptions Timers => Layer.Timers;

    private protected TimeProvider Time => Layer.Time;

    private protected bool Reliable => Peer.IsReliable;

    /// <summary>Moves to a new state; caller holds <see cref="Gate"/>.</summary>
    private protected void MoveTo(TransactionState state)
    {
        if (State == TransactionState.Terminated)
        {
            return;
        }

        State = state;
        if (state == TransactionState.Terminated)
        {
            StopTimers();
            Layer.Remove(this);
            _terminated.TrySetResult();
        }
    }

    private protected abstract void StopTimers();

    /// <summary>Sends bytes to the peer; a transport failure terminates the transaction (RFC 3261 §17.1.4, §17.2.4).</summary>
    private protected void Send(SipMessage message) => _ = SendCoreAsync(message.ToBytes());

    /// <summary>Sends a message serialized by the caller (who keeps the bytes), as <see cref="Send(SipMessage)"/>.</summary>
    private protected void Send(byte[] message) => _ = SendCoreAsync(message);

    private async Task SendCoreAsync(byte[] message)
    {
        try
        {
            await Layer.Sender.SendAsync(message, Peer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SipTransportException or System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            OnTransportError(ex);
        }
    }

    private protected virtual void OnTransportError(Exception error)
    {
        Layer.LogTransportError(Key, Peer, error);
        lock (Gate)
        {
            MoveTo(TransactionState.Terminated);
        }
    }

    public override string ToString() => $"{GetType().Name} {Key} {State}";
}
