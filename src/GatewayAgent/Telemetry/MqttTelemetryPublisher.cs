using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using GatewayAgent.Contracts;
using GatewayAgent.Sip.UserAgents;
using GatewayAgent.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace GatewayAgent.Telemetry;

/// <summary>
/// The agent's MQTT telemetry (DESIGN.md "MQTT"): one MQTT 5 session at a time with reconnect backoff; birth on
/// connect and a Last Will marking the site offline; every event through the disk spool first and out to
/// gw/v1/{siteId}/events (QoS 1), removed from the spool only on a success PUBACK, power.lost ahead of everything else;
/// an event the broker routed to nobody (PUBACK 0x10 NoMatchingSubscribers: the controller has not subscribed yet, e.g.
/// right after a broker restart) stays spooled and is sent again after a backoff (issue 14); a periodic snapshot;
/// commands with MQTT 5 request/response; on a clean stop agent.stopping and the offline state.
/// </summary>
public sealed class MqttTelemetryPublisher : BackgroundService, IHostedLifecycleService
{
    /// <summary>Events in flight at once (awaiting PUBACK): replay pipelines instead of one round trip per event.</summary>
    private const int Window = 64;

    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(3);

    private readonly MqttOptions _mqtt;
    private readonly string _siteId;
    private readonly IOptionsMonitor<TelemetryOptions> _telemetry;
    private readonly AgentEventHub _hub;
    private readonly AgentStatus _status;
    private readonly TelemetrySnapshotSource _snapshots;
    private readonly TelemetryCommands _commands;
    private readonly IConfiguration _configuration;
    private readonly ProbeAnswererOptions _answering;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttClientFactory _factory = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _holdGate = new();
    private readonly ReconnectBackoff _unroutedBackoff;
    private bool _held;
    private ITimer? _holdTimer;
    private EventSpool? _spool;
    private BirthSequenceFile? _births;
    private IDisposable? _hubSubscription;
    private IDisposable? _optionsSubscription;
    private ITimer? _snapshotTimer;
    private volatile LiveSession? _live;
    private int _epoch = -1;
    private int _epochCounter;
    private int _snapshotDue;

    public MqttTelemetryPublisher(
        IOptions<MqttOptions> mqtt,
        IOptions<AgentSiteOptions> site,
        IOptionsMonitor<TelemetryOptions> telemetry,
        AgentEventHub hub,
        AgentStatus status,
        TelemetrySnapshotSource snapshots,
        TelemetryCommands commands,
        IConfiguration configuration,
        IOptions<ProbeAnswererOptions> answering,
        TimeProvider time,
        ILogger<MqttTelemetryPublisher> logger)
    {
        _mqtt = mqtt.Value;
        _siteId = site.Value.SiteId ?? "";
        _telemetry = telemetry;
        _hub = hub;
        _status = status;
        _snapshots = snapshots;
        _commands = commands;
        _configuration = configuration;
        _answering = answering.Value;
        _time = time;
        _logger = logger;
        _unroutedBackoff = new ReconnectBackoff(_mqtt.ReconnectMin, _mqtt.ReconnectMax, time, Random.Shared);
    }

    /// <summary>The spool, once opened (null while telemetry is off).</summary>
    public EventSpool? Spool => _spool;

    /// <summary>The bdSeq of the current (or last) session.</summary>
    public long BdSeq => _births?.Last ?? 0;

    /// <summary>Opens the spool and listens to the event hub before any part of the agent starts raising events.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!_mqtt.IsEnabled)
        {
            TelemetryLog.Off(_logger);
            _status.Cloud = CloudState.Disabled;
            return Task.CompletedTask;
        }

        var options = _telemetry.CurrentValue;
        var directory = SpoolDirectoryResolver.Resolve(options, Environment.GetEnvironmentVariable, _logger);
        _spool = EventSpool.Open(directory, SpoolLimits.From(options), _time, _logger);
        _births = new BirthSequenceFile(directory);
        _spool.DepthChanged += depth => _status.SpoolDepth = depth;
        _status.SpoolDepth = _spool.Depth;
        _status.Cloud = CloudState.Connecting;
        _holdTimer = _time.CreateTimer(_ => EndHold(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _hubSubscription = _hub.Subscribe(OnEvent);
        _snapshotTimer = _time.CreateTimer(_ => OnSnapshotTick(), null, options.Interval, options.Interval);
        _optionsSubscription = _telemetry.OnChange(o =>
        {
            _snapshotTimer?.Change(o.Interval, o.Interval);
            TelemetryLog.Reloaded(_logger, o.Interval);
        });
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host is about to stop: agent.stopping goes into the spool (published before the offline state).</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_spool is not null)
        {
            OnEvent(new AgentEventNotice(EventTypes.AgentStopping, _time.GetUtcNow(), "shutdown"));
        }

        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _hubSubscription?.Dispose();
        _optionsSubscription?.Dispose();
        _snapshotTimer?.Dispose();
        _holdTimer?.Dispose();
        _spool?.Dispose();
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        _hubSubscription?.Dispose();
        _optionsSubscription?.Dispose();
        _snapshotTimer?.Dispose();
        _holdTimer?.Dispose();
        _spool?.Dispose();
        _stopping.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Hub listener, on the raising thread: spool first (fsynced for power events), then wake the sender. power.lost is
    /// marked priority so it is the next publish, ahead of older spooled events and snapshots.
    /// </summary>
    private void OnEvent(AgentEventNotice notice)
    {
        var spool = _spool;
        if (spool is null)
        {
            return;
        }

        try
        {
            var power = notice.Type is EventTypes.PowerLost or EventTypes.PowerRestored;
            var priority = notice.Type == EventTypes.PowerLost;
            var evt = spool.Append(notice, Volatile.Read(ref _epoch), durable: power, priority: priority);
            // Dying gasp: the PUBLISH leaves from this thread now, not when the sender loop next wakes; the loop
            // collects its PUBACK like any other.
            if (priority && _live is { } live && spool.TryLease(evt.Seq, out var entry))
            {
                live.Direct.Enqueue(PublishEventAsync(live.Client, entry, live.Epoch, live.Token));
            }

            Wake();
        }
        catch (ObjectDisposedException)
        {
            // After shutdown: nothing more is delivered.
        }
    }

    private void OnSnapshotTick()
    {
        _spool?.EnforceBoundsNow();
        if (_births is { Unsaved: true } births && births.TrySaveAgain() is null)
        {
            TelemetryLog.BirthSequenceSaved(_logger, births.Last);
        }

        Interlocked.Exchange(ref _snapshotDue, 1);
        Wake();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_spool is null || _births is null)
        {
            return;
        }

        await Task.Yield();
        var connection = new MqttConnectionOptions(_mqtt, _siteId);
        var backoff = new ReconnectBackoff(_mqtt.ReconnectMin, _mqtt.ReconnectMax, _time, Random.Shared);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = _factory.CreateMqttClient();
            var bdSeq = _births.Next;
            var connected = false;
            string reason;
            try
            {
                _status.Cloud = CloudState.Connecting;
                var result = await client.ConnectAsync(connection.Build(bdSeq, _time), stoppingToken).ConfigureAwait(false);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new IOException($"refused: {result.ResultCode} {result.ReasonString}");
                }

                if (_births.Commit(bdSeq) is { } unsaved)
                {
                    // Not a reason to drop the session (issue 12 item 5): the bdSeq stays in memory; retried at each snapshot tick.
                    TelemetryLog.BirthSequenceUnsaved(_logger, bdSeq, unsaved.Message);
                }

                connected = true;
                TelemetryLog.Connected(_logger, connection.Broker, _siteId, bdSeq, result.IsSessionPresent, _spool.Depth);
                await RunSessionAsync(client, bdSeq, backoff, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                reason = Describe(ex);
            }
            finally
            {
                Volatile.Write(ref _epoch, -1);
                _spool.ReleaseAll();
                _status.Cloud = CloudState.Disconnected;
            }

            // After a session whose birth was accepted the backoff starts again from ReconnectMin; a broker that
            // accepts the connection but refuses our publishes (ACL) keeps backing off.
            var delay = backoff.NextDelay();
            if (connected)
            {
                TelemetryLog.ConnectionLost(_logger, reason, _spool.Depth);
            }
            else
            {
                TelemetryLog.ConnectFailed(_logger, connection.Broker, reason, delay.TotalMilliseconds);
            }

            try
            {
                await backoff.WaitAsync(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunSessionAsync(IMqttClient client, long bdSeq, ReconnectBackoff backoff, CancellationToken stoppingToken)
    {
        var spool = _spool!;
        var epoch = Interlocked.Increment(ref _epochCounter);
        Volatile.Write(ref _epoch, epoch);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            lost.TrySetException(new MqttCommunicationLostException(e.Reason + (e.Exception is null ? "" : ": " + e.Exception.Message)));
            Wake();
            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += e => OnCommandMessage(client, bdSeq, e);
        using var session = new CancellationTokenSource();
        var inflight = new List<Task>(Window + 2);
        var live = new LiveSession(client, epoch, session.Token);
        try
        {
            _status.Cloud = CloudState.Connected;
            await PublishBirthAsync(client, bdSeq, session.Token).ConfigureAwait(false);
            backoff.Reset();
            await client.SubscribeAsync(
                _factory.CreateSubscribeOptionsBuilder().WithTopicFilter(Topics.CommandFilter(_siteId), MqttQualityOfServiceLevel.AtLeastOnce).Build(),
                session.Token).ConfigureAwait(false);
            await PublishSnapshotAsync(client, session.Token).ConfigureAwait(false);
            _live = live;

            var backlog = spool.Depth;
            var replayClock = Stopwatch.StartNew();
            var replayed = 0;
            Task<bool>? wake = null;
            while (true)
            {
                stoppingToken.ThrowIfCancellationRequested();
                if (lost.Task.IsCompleted)
                {
                    await lost.Task.ConfigureAwait(false);
                }

                while (live.Direct.TryDequeue(out var direct))
                {
                    inflight.Add(direct);
                }

                while (inflight.Count < Window && !EventsHeld && spool.TryLease(out var entry))
                {
                    inflight.Add(PublishEventAsync(client, entry, epoch, session.Token));
                    if (entry.Epoch != epoch)
                    {
                        replayed++;
                    }
                }

                if (Interlocked.Exchange(ref _snapshotDue, 0) == 1)
                {
                    inflight.Add(PublishSnapshotAsync(client, session.Token));
                }

                if (backlog > 0 && inflight.Count == 0 && spool.Depth == 0)
                {
                    var elapsed = replayClock.Elapsed;
                    TelemetryLog.Replayed(_logger, replayed, elapsed.TotalMilliseconds, replayed / Math.Max(elapsed.TotalSeconds, 1e-6));
                    backlog = 0;
                }

                wake ??= _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
                await Task.WhenAny([.. inflight, wake, lost.Task]).ConfigureAwait(false);
                if (wake.IsCompleted)
                {
                    wake = null;
                    _wake.Reader.TryRead(out _);
                }

                for (var i = inflight.Count - 1; i >= 0; i--)
                {
                    if (inflight[i].IsCompleted)
                    {
                        var done = inflight[i];
                        inflight.RemoveAt(i);
                        await done.ConfigureAwait(false); // a failed publish ends the session: reconnect
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _live = null;
            inflight.AddRange(live.Direct);
            await StopSessionAsync(client, bdSeq, inflight).ConfigureAwait(false);
        }
        finally
        {
            _live = null;
            inflight.AddRange(live.Direct);
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(inflight).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Clean stop: deliver what is spooled (agent.stopping last) within the budget, then the offline state, then DISCONNECT (no will).</summary>
    private async Task StopSessionAsync(IMqttClient client, long bdSeq, List<Task> inflight)
    {
        var spool = _spool!;
        using var budget = new CancellationTokenSource(StopBudget, _time);
        try
        {
            var epoch = Volatile.Read(ref _epoch);
            while (true)
            {
                while (inflight.Count < Window && !EventsHeld && spool.TryLease(out var entry))
                {
                    inflight.Add(PublishEventAsync(client, entry, epoch, budget.Token));
                }

                if (inflight.Count == 0)
                {
                    break;
                }

                var done = await Task.WhenAny(inflight).ConfigureAwait(false);
                inflight.Remove(done);
                await done.ConfigureAwait(false);
            }

            var offline = new AgentState { Online = false, BdSeq = bdSeq, Ts = _time.GetUtcNow(), Reason = "stopping" };
            await PublishAsync(client, Topics.State(_siteId), JsonSerializer.SerializeToUtf8Bytes(offline, ContractsJsonContext.Default.AgentState),
                retain: true, budget.Token).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(),
                budget.Token).ConfigureAwait(false);
            _status.Cloud = CloudState.Disconnected;
            TelemetryLog.Stopped(_logger, bdSeq);
        }
        catch (Exception ex)
        {
            TelemetryLog.StopIncomplete(_logger, Describe(ex));
        }
    }

    private async Task PublishEventAsync(IMqttClient client, SpoolEntry entry, int epoch, CancellationToken cancellationToken)
    {
        var evt = entry.Event with { Historical = entry.Epoch != epoch };
        var payload = JsonSerializer.SerializeToUtf8Bytes(evt, ContractsJsonContext.Default.AgentEvent);
        MqttClientPublishResult result;
        try
        {
            result = await PublishAsync(client, Topics.Events(_siteId), payload, retain: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _spool!.Release(entry);
            throw;
        }

        if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            // Accepted by the broker but routed to nobody, so dropped there (mosquitto after a restart, before the
            // controller's shared subscription is back): not delivered. It stays in the spool and goes again later.
            _spool!.Release(entry);
            HoldUnrouted(evt);
            return;
        }

        _spool!.Acknowledge(entry.Seq);
        RoutedAgain();
        if (!evt.Historical)
        {
            TelemetryLog.EventPublished(_logger, evt.Type, evt.Seq, "");
        }
    }

    /// <summary>Spooled events wait until the hold after an unrouted event ends (the dying gasp does not wait).</summary>
    private bool EventsHeld
    {
        get
        {
            lock (_holdGate)
            {
                return _held;
            }
        }
    }

    /// <summary>
    /// An event came back unrouted: hold the spooled events for the next reconnect-style backoff delay (ReconnectMin
    /// doubling to ReconnectMax, jittered), then wake the sender. The other events of the same window that come back
    /// unrouted during the hold do not lengthen it, so one retry round costs one window of publishes, not a spin.
    /// </summary>
    private void HoldUnrouted(AgentEvent evt)
    {
        TimeSpan delay;
        lock (_holdGate)
        {
            if (_held)
            {
                return;
            }

            delay = _unroutedBackoff.NextDelay();
            _held = true;
            _holdTimer?.Change(delay, Timeout.InfiniteTimeSpan);
        }

        TelemetryLog.EventsUnrouted(_logger, evt.Type, evt.Seq, delay.TotalMilliseconds);
    }

    /// <summary>The hold's timer fired (not a clock comparison: a timer may fire a little before the wall clock says).</summary>
    private void EndHold()
    {
        lock (_holdGate)
        {
            _held = false;
        }

        Wake();
    }

    /// <summary>An event was routed (success PUBACK): the unrouted backoff starts again from its minimum.</summary>
    private void RoutedAgain()
    {
        int attempts;
        lock (_holdGate)
        {
            attempts = _unroutedBackoff.Attempt;
            if (attempts == 0)
            {
                return;
            }

            _unroutedBackoff.Reset();
        }

        TelemetryLog.EventsRoutedAgain(_logger, attempts);
    }

    private async Task PublishSnapshotAsync(IMqttClient client, CancellationToken cancellationToken) =>
        await PublishAsync(client, Topics.Telemetry(_siteId),
            JsonSerializer.SerializeToUtf8Bytes(_snapshots.Take(_spool), ContractsJsonContext.Default.TelemetrySnapshot), retain: false, cancellationToken).ConfigureAwait(false);

    private async Task PublishBirthAsync(IMqttClient client, long bdSeq, CancellationToken cancellationToken)
    {
        var configHash = ConfigHash.Compute(_configuration);
        var birth = new AgentState
        {
            Online = true,
            BdSeq = bdSeq,
            Ts = _time.GetUtcNow(),
            Version = AgentVersion.Current,
            ConfigHash = configHash,
            Board = _status.Board,
            Numbers = _answering.MonitorNumbers,
        };
        await PublishAsync(client, Topics.State(_siteId), JsonSerializer.SerializeToUtf8Bytes(birth, ContractsJsonContext.Default.AgentState),
            retain: true, cancellationToken).ConfigureAwait(false);
        TelemetryLog.BirthPublished(_logger, bdSeq, AgentVersion.Current, configHash);
    }

    /// <summary>
    /// QoS 1 publish; a refusal in the PUBACK (reason code 0x80 or above, e.g. the broker's ACL) is an error that ends
    /// the session. Success and NoMatchingSubscribers are returned: for an event the caller tells them apart.
    /// </summary>
    private static async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if ((int)result.ReasonCode >= 0x80)
        {
            throw new MqttPublishRefusedException(topic, result.ReasonCode.ToString(), result.ReasonString);
        }

        return result;
    }

    private Task OnCommandMessage(IMqttClient client, long bdSeq, MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var topic = message.Topic;
        var verb = topic[(topic.LastIndexOf('/') + 1)..];
        var responseTopic = message.ResponseTopic;
        var correlation = message.CorrelationData?.ToArray();
        // Commands run off the client's receive loop: a self-test takes seconds and PUBACKs must keep flowing.
        _ = Task.Run(() => RunCommandAsync(client, bdSeq, verb, responseTopic, correlation), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunCommandAsync(IMqttClient client, long bdSeq, string verb, string? responseTopic, byte[]? correlation)
    {
        TelemetryLog.CommandReceived(_logger, verb, responseTopic ?? "(none)");
        CommandReply reply;
        try
        {
            reply = await _commands.ExecuteAsync(verb, async ct =>
            {
                await PublishBirthAsync(client, bdSeq, ct).ConfigureAwait(false);
                await PublishSnapshotAsync(client, ct).ConfigureAwait(false);
            }, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            TelemetryLog.CommandFailed(_logger, verb, ex);
            reply = new CommandReply { Verb = verb, Ok = false, Message = ex.Message };
        }
        catch (OperationCanceledException)
        {
            reply = new CommandReply { Verb = verb, Ok = false, Message = "agent stopping" };
        }

        TelemetryLog.CommandDone(_logger, verb, reply.Ok, reply.Message);
        if (string.IsNullOrEmpty(responseTopic) || !client.IsConnected)
        {
            return;
        }

        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(responseTopic)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(reply, ContractsJsonContext.Default.CommandReply))
                .WithContentType("application/json")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithCorrelationData(correlation ?? [])
                .Build();
            var result = await client.PublishAsync(message, _stopping.Token).ConfigureAwait(false);
            if ((int)result.ReasonCode >= 0x80)
            {
                TelemetryLog.PublishRefused(_logger, responseTopic, result.ReasonCode.ToString(), result.ReasonString);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TelemetryLog.CommandFailed(_logger, verb, ex);
        }
    }

    /// <summary>The connected session, for the dying-gasp fast path on the raising thread.</summary>
    private sealed record LiveSession(IMqttClient Client, int Epoch, CancellationToken Token)
    {
        public System.Collections.Concurrent.ConcurrentQueue<Task> Direct { get; } = new();
    }

    private static string Describe(Exception ex) => ex switch
    {
        _ when ex.InnerException is { } inner => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
