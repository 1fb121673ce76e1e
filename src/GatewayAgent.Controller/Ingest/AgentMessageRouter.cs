using System.Buffers;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Where the broker (embedded or external) hands every accepted agent publish: replies go to the commander,
/// state/telemetry/events are decoded on the receiving thread and queued for their site's ingest worker. With
/// <c>waitForCommit</c> (the embedded broker) an event is routed only once the worker has committed it, so the broker's
/// PUBACK follows the commit (issue 12 item 9); a failed write throws <see cref="IngestWriteException"/>.
/// </summary>
internal sealed class AgentMessageRouter(
    IngestQueue queue,
    MqttSiteCommander commander,
    IngestMetrics metrics,
    IControllerMqttLink link,
    TimeProvider timeProvider,
    ILogger<AgentMessageRouter> logger)
{
    public ValueTask RouteAsync(
        string topic, ReadOnlySequence<byte> payload, bool retained, byte[]? correlationData, CancellationToken cancellationToken, bool waitForCommit = false)
    {
        if (!AgentTopic.TryParse(topic, out var parsed))
        {
            return ValueTask.CompletedTask;
        }

        switch (parsed.Kind)
        {
            case AgentTopicKind.Reply:
                if (string.Equals(parsed.Rest, link.NodeId, StringComparison.Ordinal))
                {
                    metrics.MessageReceived("reply");
                    commander.OnReply(parsed.SiteId, correlationData, payload);
                }

                return ValueTask.CompletedTask;
            case AgentTopicKind.State or AgentTopicKind.Telemetry or AgentTopicKind.Events:
                var message = InboundMessageDecoder.Decode(parsed, payload, retained, timeProvider.GetUtcNow());
                if (message is null)
                {
                    if (!payload.IsEmpty)
                    {
                        metrics.Malformed(parsed.Kind.ToString().ToLowerInvariant());
                        IngestLog.Malformed(logger, parsed.Kind.ToString(), parsed.SiteId);
                    }

                    return ValueTask.CompletedTask;
                }

                return waitForCommit && message is InboundEvent ? RouteAndWaitAsync(message, cancellationToken) : queue.EnqueueAsync(message, cancellationToken);
            default:
                return ValueTask.CompletedTask;
        }
    }

    private async ValueTask RouteAndWaitAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var receipt = new IngestReceipt();
        await queue.EnqueueAsync(message with { Receipt = receipt }, cancellationToken).ConfigureAwait(false);
        await receipt.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
