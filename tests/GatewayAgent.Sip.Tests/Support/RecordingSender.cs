using System.Collections.Concurrent;
using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Support;

/// <summary>An <see cref="ISipMessageSender"/> that records what protocol code sends (no network).</summary>
public sealed class RecordingSender : ISipMessageSender
{
    public ConcurrentQueue<(SipMessage Message, SipTarget Target)> Sent { get; } = new();

    /// <summary>The bytes of every message sent, as they would go on the wire, in order.</summary>
    public ConcurrentQueue<byte[]> Wire { get; } = new();

    public bool Fail { get; set; }

    public ValueTask SendAsync(SipMessage message, SipTarget target, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new SipTransportException("refused");
        }

        // Re-parse what would go on the wire: the tests see exactly the bytes a peer would.
        var bytes = message.ToBytes();
        Wire.Enqueue(bytes);
        Sent.Enqueue((SipParser.Parse(bytes).Message!, target));
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, SipTarget target, CancellationToken cancellationToken = default)
    {
        if (Fail)
        {
            throw new SipTransportException("refused");
        }

        Wire.Enqueue(message.ToArray());
        Sent.Enqueue((SipParser.Parse(message.Span).Message!, target));
        return ValueTask.CompletedTask;
    }

    public IPEndPoint GetLocalEndPoint(SipTarget target) => new(IPAddress.Loopback, 5060);

    public List<SipResponse> Responses => Sent.Select(s => s.Message).OfType<SipResponse>().ToList();

    public List<SipRequest> Requests => Sent.Select(s => s.Message).OfType<SipRequest>().ToList();

    public void Clear()
    {
        Sent.Clear();
        Wire.Clear();
    }
}
