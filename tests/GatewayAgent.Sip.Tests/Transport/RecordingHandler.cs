using System.Threading.Channels;
using GatewayAgent.Sip.Transport;

namespace GatewayAgent.Sip.Tests.Transport;

/// <summary>A message handler that queues what it receives, for tests to await with a timeout.</summary>
internal sealed class RecordingHandler : ISipMessageHandler
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<IncomingMessage> _messages = Channel.CreateUnbounded<IncomingMessage>();

    /// <summary>Runs after the message is queued; a test may throw from it to play a faulty handler.</summary>
    public Action<IncomingMessage>? After { get; init; }

    public void OnMessage(IncomingMessage message)
    {
        _messages.Writer.TryWrite(message);
        After?.Invoke(message);
    }

    /// <summary>The next message; fails the test after 5 s without one.</summary>
    public async Task<IncomingMessage> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message reached the handler within {Timeout.TotalSeconds} s");
        }
    }

    public bool TryTake(out IncomingMessage? message) => _messages.Reader.TryRead(out message);
}
