using System.Text.Json;
using GatewayAgent.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace SiteAgents;

/// <summary>
/// The telemetry side of one site's agent, reduced to what a power cut needs: an MQTT 5 session as the site (client id
/// = site id), and events that stay queued until the broker acknowledged them (PUBACK), published again after a
/// reconnect, as the agent's spool does (at-least-once; the controller is idempotent on the event id). Reconnects back
/// off as the agent's ReconnectBackoff: 1–2 s, then doubling up to the cap, with jitter. As the agent since issue 14, an
/// event whose PUBACK says 0x10 NoMatchingSubscribers (dropped by the broker: no controller subscribed yet) stays queued
/// and is sent again after the same kind of backoff (reset by the next success), on the same connection.
/// </summary>
internal sealed class SimulatedSite(string siteId, string host, int port, TimeSpan reconnectMax, Random random, Action<string> log) : IDisposable
{
    private readonly Queue<AgentEvent> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private long _seq;
    private long _acked;
    private long _failures;
    private long _connects;
    private long _unrouted;

    public string SiteId => siteId;

    public bool Connected { get; private set; }

    public long Acked => Interlocked.Read(ref _acked);

    public long Failures => Interlocked.Read(ref _failures);

    public long Connects => Interlocked.Read(ref _connects);

    public long Unrouted => Interlocked.Read(ref _unrouted);

    public int Queued
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    public void Raise(string type)
    {
        lock (_queue)
        {
            _queue.Enqueue(new AgentEvent
            {
                Id = Guid.NewGuid().ToString("N"),
                Seq = ++_seq,
                Ts = DateTimeOffset.UtcNow,
                Type = type,
                Detail = "bench/faults",
            });
        }

        _signal.Release();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        var unroutedAttempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                var options = new MqttClientOptionsBuilder()
                    .WithTcpServer(host, port)
                    .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                    .WithClientId(siteId)
                    .WithCleanStart(true)
                    .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                    .WithTimeout(TimeSpan.FromSeconds(10))
                    .Build();
                await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _connects);
                Connected = true;
                attempt = 0;
                while (client.IsConnected && !cancellationToken.IsCancellationRequested)
                {
                    AgentEvent? next;
                    lock (_queue)
                    {
                        _queue.TryPeek(out next);
                    }

                    if (next is null)
                    {
                        await _signal.WaitAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic(Topics.Events(siteId))
                        .WithPayload(JsonSerializer.SerializeToUtf8Bytes(next, ContractsJsonContext.Default.AgentEvent))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
                    if (!result.IsSuccess)
                    {
                        throw new InvalidOperationException($"publish refused: {result.ReasonCode}");
                    }

                    if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                    {
                        Interlocked.Increment(ref _unrouted);
                        log($"UNROUTED {siteId} seq={next.Seq} at={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
                        await Task.Delay(TimeSpan.FromMilliseconds(Backoff(unroutedAttempt++)), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    unroutedAttempt = 0;

                    lock (_queue)
                    {
                        _queue.Dequeue();
                    }

                    Interlocked.Increment(ref _acked);
                    log($"ACK {siteId} seq={next.Seq} type={next.Type} id={next.Id} raised={next.Ts.ToUnixTimeMilliseconds()} acked={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                Interlocked.Increment(ref _failures);
            }

            Connected = false;
            await Task.Delay(TimeSpan.FromMilliseconds(Backoff(attempt++)), cancellationToken).ConfigureAwait(false);
        }
    }

    private double Backoff(int attempt)
    {
        var ceiling = Math.Min(reconnectMax.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(attempt + 1, 20)));
        var floor = Math.Max(1000, ceiling / 2);
        lock (random)
        {
            return floor + (random.NextDouble() * (ceiling - floor));
        }
    }

    public void Dispose() => _signal.Dispose();
}
