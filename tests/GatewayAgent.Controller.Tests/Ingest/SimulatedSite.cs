using System.Text.Json;
using System.Threading.Channels;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace GatewayAgent.Controller.Tests.Ingest;

/// <summary>
/// An agent as the broker sees it: an MQTTnet 5 client with username = client id = site id, a retained will on its
/// state topic, and the contract's payloads. Commands it receives are recorded and answered with ok.
/// </summary>
public sealed class SimulatedSite : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Channel<MqttApplicationMessage> _received = Channel.CreateUnbounded<MqttApplicationMessage>();
    private long _seq;

    private SimulatedSite(string siteId, long bdSeq)
    {
        SiteId = siteId;
        BdSeq = bdSeq;
        _client.ApplicationMessageReceivedAsync += async args =>
        {
            var message = args.ApplicationMessage;
            _received.Writer.TryWrite(message);
            if (message.Topic.StartsWith(Topics.Command(SiteId, string.Empty), StringComparison.Ordinal) && message.ResponseTopic is not null)
            {
                var verb = message.Topic[Topics.Command(SiteId, string.Empty).Length..];
                var reply = new CommandReply { Verb = verb, Ok = true, Message = $"{SiteId} did {verb}" };
                await _client.PublishAsync(
                    new MqttApplicationMessageBuilder()
                        .WithTopic(message.ResponseTopic)
                        .WithCorrelationData(message.CorrelationData)
                        .WithPayload(JsonSerializer.SerializeToUtf8Bytes(reply, ContractsJsonContext.Default.CommandReply))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build());
            }
        };
    }

    public string SiteId { get; }

    public long BdSeq { get; }

    public ChannelReader<MqttApplicationMessage> Received => _received.Reader;

    /// <summary>Whether the client still has its connection (false once the broker closed it).</summary>
    public bool IsConnected => _client.IsConnected;

    public static async Task<SimulatedSite> ConnectAsync(int port, string siteId, string password, long bdSeq = 1, string? clientId = null)
    {
        var site = new SimulatedSite(siteId, bdSeq);
        var will = new AgentState { Online = false, BdSeq = bdSeq, Reason = "will" };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId ?? siteId)
            .WithCredentials(siteId, password)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithWillTopic(Topics.State(siteId))
            .WithWillPayload(JsonSerializer.SerializeToUtf8Bytes(will, ContractsJsonContext.Default.AgentState))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true)
            .Build();
        try
        {
            var result = await site._client.ConnectAsync(options);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new ConnectRefusedException(result.ResultCode);
            }
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }

        return site;
    }

    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(filter).WithAtLeastOnceQoS())
            .Build());
        return result.Items.Single().ResultCode;
    }

    public Task<MqttClientPublishResult> PublishBirthAsync(string version = "1.2.3") =>
        PublishAsync(Topics.State(SiteId), new AgentState { Online = true, BdSeq = BdSeq, Version = version, Ts = DateTimeOffset.UnixEpoch }, ContractsJsonContext.Default.AgentState, retain: true);

    public Task<MqttClientPublishResult> PublishTelemetryAsync(string power, string wan, double batteryPercent, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        PublishAsync(
            Topics.Telemetry(SiteId),
            new TelemetrySnapshot
            {
                Seq = Interlocked.Increment(ref _seq),
                Ts = DateTimeOffset.UnixEpoch,
                Power = power,
                Wan = wan,
                Battery = new BatteryReading { BusVolts = 12.6, Amps = 0.2, ChargePercent = batteryPercent },
                Sip = new SipSnapshot { Registration = "disabled", ActiveCalls = 0 },
                Leds = new Dictionary<string, string> { ["power"] = "steady" },
                UptimeSeconds = 1,
            },
            ContractsJsonContext.Default.TelemetrySnapshot,
            retain: false,
            qos);

    public Task<MqttClientPublishResult> PublishEventAsync(AgentEvent agentEvent, string? siteTopic = null) =>
        PublishAsync(Topics.Events(siteTopic ?? SiteId), agentEvent, ContractsJsonContext.Default.AgentEvent, retain: false);

    public Task<MqttClientPublishResult> PublishRawAsync(
        string topic, byte[] payload, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(retain)
            .Build());

    /// <summary>
    /// Publishes events {SiteId}-1..{count} (seq 1..count, live) at QoS 1 as fast as the broker acknowledges them,
    /// with up to <paramref name="window"/> publishes awaiting their PUBACK at once (an agent replaying its spool does this).
    /// </summary>
    public async Task<List<MqttClientPublishResult>> PublishEventBurstAsync(
        int count, int window, DateTimeOffset ts, int telemetryPerEvent = 0, TaskCompletionSource? windowFull = null)
    {
        var results = new List<MqttClientPublishResult>(count);
        var inFlight = new Queue<Task<MqttClientPublishResult>>(window);
        for (var seq = 1; seq <= count; seq++)
        {
            for (var i = 0; i <= telemetryPerEvent; i++)
            {
                if (inFlight.Count == window)
                {
                    windowFull?.TrySetResult(); // a whole window is out, unacknowledged
                    results.Add(await inFlight.Dequeue());
                }

                inFlight.Enqueue(i < telemetryPerEvent
                    ? PublishTelemetryAsync("mains", "up", 97)
                    : PublishEventAsync(Event($"{SiteId}-{seq}", seq, EventTypes.ProbeAnswered, ts)));
            }
        }

        windowFull?.TrySetResult(); // everything is out (fewer messages than a window)
        while (inFlight.Count > 0)
        {
            results.Add(await inFlight.Dequeue());
        }

        return results;
    }

    public static AgentEvent Event(string id, long seq, string type, DateTimeOffset ts, bool historical = false) =>
        new() { Id = id, Seq = seq, Ts = ts, Type = type, Historical = historical };

    public async Task<MqttApplicationMessage> NextMessageAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public Task DisconnectCleanlyAsync() => _client.DisconnectAsync(new MqttClientDisconnectOptions());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // The test cut the connection (TcpRelay.KillAsync); the client may not have noticed yet.
            }
        }

        _client.Dispose();
    }

    private Task<MqttClientPublishResult> PublishAsync<T>(string topic, T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, bool retain, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(payload, typeInfo))
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(retain)
            .Build());
}
