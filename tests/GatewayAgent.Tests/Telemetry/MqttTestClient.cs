using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// A real MQTT 5 client in the test (the controller's side): subscribes, records what arrives, and sends commands with
/// a response topic and correlation data. Waits are woken by each arriving message, not by a clock.
/// </summary>
public sealed class MqttTestClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly Changes _arrived = new();

    private MqttTestClient(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _messages.Enqueue(new ReceivedMessage(m.Topic, Encoding.UTF8.GetString(m.Payload.ToArray()), m.Retain, m.CorrelationData?.ToArray(), m.ResponseTopic));
            _arrived.Notify();
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    public IMqttClient Client => _client;

    public static async Task<MqttTestClient> ConnectAsync(int port, string clientId, string? username = null, string? password = null,
        bool persistentSession = false, params string[] filters)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var test = new MqttTestClient(client);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(!persistentSession)
            .WithSessionExpiryInterval(persistentSession ? 3600u : 0u);
        if (username is not null)
        {
            builder.WithCredentials(username, password);
        }

        var result = await client.ConnectAsync(builder.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        foreach (var filter in filters)
        {
            var sub = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.All(sub.Items, i => Assert.True((int)i.ResultCode < 0x80, $"subscribe {filter}: {i.ResultCode}"));
        }

        return test;
    }

    /// <summary>Waits until the messages seen so far satisfy <paramref name="condition"/>.</summary>
    public Task<IReadOnlyList<ReceivedMessage>> WaitForAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, TimeSpan? timeout = null,
        string? what = null)
        => Wait.ForAsync(() => Messages, condition, _arrived, $"seen: {what ?? "condition"}", timeout, ReceivedMessage.Describe);

    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> match, string what, TimeSpan? timeout = null) =>
        (await WaitForAsync(all => all.Any(match), timeout, what)).First(match);

    /// <summary>Sends a command (MQTT 5 request/response) and waits for the reply with the same correlation data.</summary>
    public async Task<ReceivedMessage> RequestAsync(string topic, string responseTopic, TimeSpan? timeout = null)
    {
        var correlation = Guid.NewGuid().ToByteArray();
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithResponseTopic(responseTopic)
            .WithCorrelationData(correlation)
            .WithPayload("{}")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True((int)result.ReasonCode < 0x80, $"command publish refused: {result.ReasonCode}");
        return await WaitForAsync(m => m.Topic == responseTopic && m.CorrelationData is { } c && c.AsSpan().SequenceEqual(correlation),
            $"reply on {responseTopic}", timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
