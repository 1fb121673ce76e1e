using System.Diagnostics;
using System.Text.Json;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IngestBench;

/// <summary>
/// N simulated agents (one MQTTnet 5 client each, username = client id = "bench-NNNN") publishing telemetry
/// snapshots (and every k-th message an event) as fast as they can, with up to <c>window</c> publishes in flight
/// per client (QoS 1 waits for PUBACKs inside that window).
/// </summary>
internal sealed class LoadGenerator(string host, int port, int agents, long messages, MqttQualityOfServiceLevel qos, int window, int eventEvery, string? password)
{
    private readonly List<IMqttClient> _clients = [];

    public long Total => messages / agents * agents;

    public async Task ConnectAsync()
    {
        var factory = new MqttClientFactory();
        for (var i = 0; i < agents; i++)
        {
            var siteId = $"bench-{i:D4}";
            var client = factory.CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithClientId(siteId)
                .WithCleanStart(true)
                .WithTimeout(TimeSpan.FromSeconds(30));
            if (password is not null)
            {
                options.WithCredentials(siteId, password);
            }

            var result = await client.ConnectAsync(options.Build());
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"{siteId}: {result.ResultCode}");
            }

            _clients.Add(client);
        }
    }

    /// <summary>Publishes every message; returns the time from the first publish to the last one completing.</summary>
    public async Task<TimeSpan> RunAsync()
    {
        var perAgent = messages / agents;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(_clients.Select((client, i) => Task.Run(() => PublishAllAsync(client, $"bench-{i:D4}", perAgent))));
        return stopwatch.Elapsed;
    }

    public async Task DisconnectAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // The serving process may already have stopped once it counted every message.
            }

            client.Dispose();
        }
    }

    private async Task PublishAllAsync(IMqttClient client, string siteId, long count)
    {
        var snapshot = JsonSerializer.SerializeToUtf8Bytes(new TelemetrySnapshot
        {
            Seq = 1,
            Ts = DateTimeOffset.UtcNow,
            Power = "mains",
            Wan = "up",
            Battery = new BatteryReading { BusVolts = 13.1, Amps = 0.12, ChargePercent = 97 },
            Sip = new SipSnapshot { Registration = "registered", ActiveCalls = 0 },
            Leds = new Dictionary<string, string> { ["power"] = "steady", ["line"] = "steady", ["cloud"] = "steady", ["alarm"] = "off" },
            UptimeSeconds = 3600,
        }, ContractsJsonContext.Default.TelemetrySnapshot);
        var telemetryTopic = Topics.Telemetry(siteId);
        var eventsTopic = Topics.Events(siteId);
        var inFlight = new Queue<Task>(window);
        long eventSeq = 0;
        for (long n = 0; n < count; n++)
        {
            MqttApplicationMessage message;
            if (eventEvery > 0 && n % eventEvery == eventEvery - 1)
            {
                var agentEvent = new AgentEvent { Id = $"{siteId}-{++eventSeq}", Seq = eventSeq, Ts = DateTimeOffset.UtcNow, Type = EventTypes.ProbeAnswered };
                message = Build(eventsTopic, JsonSerializer.SerializeToUtf8Bytes(agentEvent, ContractsJsonContext.Default.AgentEvent));
            }
            else
            {
                message = Build(telemetryTopic, snapshot);
            }

            if (inFlight.Count == window)
            {
                await inFlight.Dequeue();
            }

            inFlight.Enqueue(client.PublishAsync(message));
        }

        while (inFlight.Count > 0)
        {
            await inFlight.Dequeue();
        }
    }

    private MqttApplicationMessage Build(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build();
}
