using GatewayAgent.Tests.Support;

namespace GatewayAgent.Tests.Conformance;

/// <summary>
/// Sends one RFC 4475 message to the agent from a socket of its own, then a well-formed OPTIONS (the fence), and
/// collects what comes back: everything on that socket that is not the fence's answer is the message's.
/// </summary>
/// <remarks>
/// The agent reads its UDP socket in order, so once the fence is answered the message has been handled: a message
/// that got no answer by then (plus a short grace for a response sent after the fence's) was dropped, and an agent
/// that stopped reading shows up as an unanswered fence rather than as a silently "dropped" message.
/// </remarks>
internal static class Rfc4475Exchange
{
    /// <summary>How long a response, and the fence's answer, may take.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long to keep listening for an answer to a message that may be dropped.</summary>
    public static readonly TimeSpan DropWait = TimeSpan.FromMilliseconds(500);

    public static async Task<Rfc4475Result> RunAsync(AgentProcess agent, string name, Rfc4475Outcome outcome)
    {
        await using var peer = LoopbackUdpPeer.Open();
        var message = TopViaRewriter.Rewrite(ConformanceCorpus.Read(name), peer.Port, out var sentBy);
        var fenceCallId = $"fence-{name}-{Guid.NewGuid():N}";
        var start = DateTime.UtcNow;
        await peer.SendAsync(message, agent.EndPoint);
        await peer.SendAsync(TestSipMessages.Options(peer.EndPoint, agent.EndPoint, fenceCallId), agent.EndPoint);

        var responses = new List<WireMessage>();
        var fenceAnswered = false;
        var deadline = start + AnswerTimeout;
        while (!(fenceAnswered && (outcome == Rfc4475Outcome.Answered ? responses.Any(r => r.IsFinal) : DateTime.UtcNow >= start + DropWait)))
        {
            // Until the fence is answered (or a required final comes), wait up to the deadline; after it, only to DropWait.
            var until = fenceAnswered && outcome != Rfc4475Outcome.Answered && start + DropWait < deadline ? start + DropWait : deadline;
            if (await peer.ReceiveAsync(until) is not { } datagram)
            {
                break;
            }

            var received = WireMessage.TryParse(datagram);
            if (received is { IsResponse: true } && received.CallId == fenceCallId)
            {
                fenceAnswered = true;
            }
            else if (received is not null)
            {
                responses.Add(received);
            }
        }

        return new Rfc4475Result(name, sentBy, message, responses, fenceAnswered);
    }
}
