using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>An operator client on the controller account, subscribed to a filter: what a dashboard or a second controller sees.</summary>
public sealed class ControllerWatcher : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();

    private ControllerWatcher()
    {
        _client.ApplicationMessageReceivedAsync += args =>
        {
            _received.Writer.TryWrite(args.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    public static async Task<ControllerWatcher> ConnectAsync(int port, string filter, string? clientId = null)
    {
        var watcher = new ControllerWatcher();
        await watcher._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? "controller.watcher-" + Guid.NewGuid().ToString("N")[..8]) // the controller account's client ids: "controller" or "controller.*"
            .WithCredentials(IngestTestHost.ControllerUser, IngestTestHost.ControllerPassword)
            .Build());
        await watcher._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS()).Build());
        return watcher;
    }

    public Task PublishAsync(string topic) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async Task<MqttApplicationMessage> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions());
        }

        _client.Dispose();
    }
}
