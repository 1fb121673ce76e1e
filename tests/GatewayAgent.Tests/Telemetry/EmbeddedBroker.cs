using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet.Server;

namespace GatewayAgent.Tests.Telemetry;

/// <summary>
/// The MQTTnet broker in the test process on a free loopback port, restartable on the same port (an outage). It
/// records every publish it accepts, in the order it accepted them, so ordering is seen without a subscriber race.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMessage> _published = new();
    private readonly Changes _arrived = new();
    private MqttServer? _server;
    private int _unroutedEvents;
    private int _unroutedAnswered;

    public EmbeddedBroker(int? port = null) => Port = port ?? FreePort.Next();

    public int Port { get; }

    public IReadOnlyList<ReceivedMessage> Published => [.. _published];

    public static async Task<EmbeddedBroker> StartAsync()
    {
        var broker = new EmbeddedBroker();
        await broker.StartAgainAsync();
        return broker;
    }

    public async Task StartAgainAsync()
    {
        var factory = new MqttServerFactory();
        var server = factory.CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .Build());
        server.InterceptingPublishAsync += e =>
        {
            var m = e.ApplicationMessage;
            if (m.Topic.EndsWith("/events", StringComparison.Ordinal))
            {
                // Like the controller's embedded broker: the event is consumed here, so its PUBACK says Success
                // rather than MQTTnet's NoMatchingSubscribers, unless the test wants it routed to nobody (dropped).
                e.ProcessPublish = false;
                if (Interlocked.Decrement(ref _unroutedEvents) >= 0)
                {
                    e.Response.ReasonCode = MQTTnet.Protocol.MqttPubAckReasonCode.NoMatchingSubscribers;
                    Interlocked.Increment(ref _unroutedAnswered);
                    _arrived.Notify();
                    return Task.CompletedTask;
                }

                Interlocked.Exchange(ref _unroutedEvents, 0);
            }

            _published.Enqueue(new ReceivedMessage(m.Topic, Encoding.UTF8.GetString(m.Payload.ToArray()), m.Retain, m.CorrelationData?.ToArray(), m.ResponseTopic));
            _arrived.Notify();
            return Task.CompletedTask;
        };
        await server.StartAsync();
        _server = server;
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(new MqttServerStopOptions());
            server.Dispose();
        }
    }

    /// <summary>The next <paramref name="count"/> events are answered NoMatchingSubscribers (0x10) and dropped, as mosquitto does before the controller subscribes.</summary>
    public void RouteNextEventsToNobody(int count) => Interlocked.Exchange(ref _unroutedEvents, count);

    /// <summary>Events answered NoMatchingSubscribers so far.</summary>
    public int UnroutedAnswered => Volatile.Read(ref _unroutedAnswered);

    public Task<IReadOnlyList<ReceivedMessage>> WaitForAsync(Func<IReadOnlyList<ReceivedMessage>, bool> condition, TimeSpan? timeout = null, string? what = null)
        => Wait.ForAsync(() => Published, condition, _arrived, $"published: {what ?? "condition"}", timeout, ReceivedMessage.Describe);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
    }
}
