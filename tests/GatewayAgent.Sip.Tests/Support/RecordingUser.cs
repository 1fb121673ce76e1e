using System.Collections.Concurrent;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Support;

/// <summary>A transaction user that records what the layer hands up and optionally answers.</summary>
public sealed class RecordingUser : ISipTransactionUser
{
    public ConcurrentQueue<ServerTransaction> Requests { get; } = new();

    public ConcurrentQueue<IncomingMessage> Acks { get; } = new();

    public ConcurrentQueue<IncomingMessage> Stray { get; } = new();

    public Action<ServerTransaction>? OnRequestAction { get; set; }

    public void OnRequest(ServerTransaction transaction)
    {
        Requests.Enqueue(transaction);
        OnRequestAction?.Invoke(transaction);
    }

    public void OnAck(IncomingMessage ack) => Acks.Enqueue(ack);

    public void OnStrayResponse(IncomingMessage response) => Stray.Enqueue(response);
}
