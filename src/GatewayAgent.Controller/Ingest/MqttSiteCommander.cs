using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Commands to agents as MQTT 5 requests: QoS 1 on gw/v1/{siteId}/cmd/{verb}, response topic
/// gw/v1/{siteId}/reply/{node} (inside the site's own tree, so the site's ACL lets it answer) and random correlation data.
/// </summary>
internal sealed class MqttSiteCommander(IControllerMqttLink link, TimeProvider timeProvider, ILogger<MqttSiteCommander> logger) : ISiteCommander
{
    private static readonly byte[] EmptyRequest = "{}"u8.ToArray();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandReply>> _pending = new(StringComparer.Ordinal);

    public async Task<CommandReply> SendAsync(string siteId, string verb, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeout.Ticks, nameof(timeout));
        var correlation = RandomNumberGenerator.GetBytes(16);
        var key = Convert.ToHexString(correlation);
        var reply = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = reply;
        try
        {
            await PublishAsync(siteId, verb, correlation, cancellationToken).ConfigureAwait(false);
            return await reply.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    /// <summary>Publishes the request without waiting for the reply (a rebirth: the answer is the new birth itself).</summary>
    public Task RequestAsync(string siteId, string verb, CancellationToken cancellationToken) =>
        PublishAsync(siteId, verb, RandomNumberGenerator.GetBytes(16), cancellationToken);

    /// <summary>A message arrived on gw/v1/{siteId}/reply/{node}.</summary>
    public void OnReply(string siteId, byte[]? correlationData, ReadOnlySequence<byte> payload)
    {
        if (correlationData is null || !_pending.TryGetValue(Convert.ToHexString(correlationData), out var pending))
        {
            IngestLog.UnknownReply(logger, siteId);
            return;
        }

        var reply = InboundMessageDecoder.DecodeReply(payload);
        if (reply is null)
        {
            IngestLog.Malformed(logger, "reply", siteId);
            return;
        }

        pending.TrySetResult(reply);
    }

    private Task PublishAsync(string siteId, string verb, byte[] correlation, CancellationToken cancellationToken)
    {
        if (!Topics.IsValidSiteId(siteId))
        {
            throw new ArgumentException($"'{siteId}' is not a valid site id", nameof(siteId));
        }

        if (string.IsNullOrEmpty(verb) || verb.AsSpan().IndexOfAny("/+#") >= 0)
        {
            throw new ArgumentException($"'{verb}' is not a valid command verb", nameof(verb));
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Command(siteId, verb))
            .WithPayload(EmptyRequest)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithResponseTopic(AgentTopic.ReplyTopic(siteId, link.NodeId))
            .WithCorrelationData(correlation)
            .Build();
        return link.PublishAsync(message, cancellationToken);
    }
}
