using GatewayAgent.Contracts;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// External mode: the controller is an MQTT 5 client of mosquitto (or any MQTT 5 broker). It subscribes to the agents'
/// state, telemetry and events through a shared subscription ($share/{group}/...) so several controllers split the
/// stream, and to its own reply topic unshared; it reconnects with exponential backoff. The broker enforces the ACL.
/// </summary>
internal sealed class ExternalMqttConnection(
    IOptions<ControllerMqttOptions> options,
    ControllerNode node,
    IServiceProvider services,
    IngestMetrics metrics,
    TimeProvider timeProvider,
    ILogger<ExternalMqttConnection> logger) : IControllerMqttLink, IAsyncDisposable
{
    /// <summary>Socket send/receive buffer of the connection to the broker (the kernel caps it at net.core.rmem_max/wmem_max).</summary>
    private const int SocketBufferSize = 1 << 20;

    private readonly ControllerMqttOptions _options = options.Value;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly CancellationTokenSource _stopping = new();
    private AgentMessageRouter? _router;
    private Task? _loop;
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string NodeId => node.Id;

    public bool IsConnected => _client.IsConnected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _router = services.GetRequiredService<AgentMessageRouter>();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }

    public Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            throw new InvalidOperationException($"Not connected to the MQTT broker {_options.Host}:{_options.Port}");
        }

        return _client.PublishAsync(message, cancellationToken);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = _options.ReconnectMinDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await ConnectAsync(stoppingToken).ConfigureAwait(false);
                delay = _options.ReconnectMinDelay;
                await _disconnected.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                IngestLog.ExternalConnectFailed(logger, ex, _options.Host!, _options.Port, delay);
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(node.Id)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithReceiveMaximum((ushort)_options.ReceiveMaximum)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, _options.Password ?? string.Empty);
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(tls => tls.UseTls(true).WithTargetHost(_options.Host));
        }

        var clientOptions = builder.Build();
        if (clientOptions.ChannelOptions is MqttClientTcpOptions tcp)
        {
            // MQTTnet sets SO_RCVBUF/SO_SNDBUF to BufferSize (8 KiB by default, 16 KiB in the kernel), which also switches
            // off receive-buffer autotuning. The advertised window then stays at about one of the segments the broker
            // sends once it has a backlog for this node, just below the broker's segment size: it may send only one
            // window per 200 ms persist-timer tick (~32 KB/s, ~100 msg/s) — the QoS 1 stall of bench/ingest/run.sh.
            // The controller is the broker's heaviest subscriber; docs/ingest.md has the details.
            tcp.BufferSize = SocketBufferSize;
        }

        var connected = await _client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"The broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
        }

        var share = string.IsNullOrEmpty(_options.SharedGroup) ? string.Empty : $"$share/{_options.SharedGroup}/";
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        string[] filters =
        [
            share + Topics.AgentRoot + "/+/state",
            share + Topics.AgentRoot + "/+/telemetry",
            share + Topics.AgentRoot + "/+/events",
            AgentTopic.ReplyTopic("+", node.Id),
        ];
        foreach (var filter in filters)
        {
            subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        }

        var result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if ((int)item.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            {
                IngestLog.SubscriptionRefused(logger, item.TopicFilter.Topic, item.ResultCode.ToString());
            }
        }

        metrics.BrokerSessionStarted();
        IngestLog.ExternalConnected(logger, _options.Host!, _options.Port, node.Id);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        return _router!.RouteAsync(message.Topic, message.Payload, message.Retain, message.CorrelationData, _stopping.Token).AsTask();
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected && !_stopping.IsCancellationRequested)
        {
            IngestLog.ExternalDisconnected(logger, args.ReasonString ?? args.Reason.ToString());
        }

        _disconnected.TrySetResult();
        return Task.CompletedTask;
    }
}
