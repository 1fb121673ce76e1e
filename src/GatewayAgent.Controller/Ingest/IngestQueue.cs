using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Bounded per-worker queues between the broker and <see cref="TelemetryIngestor"/>. A site always maps to the same
/// worker, so its messages are applied in arrival order; a full queue makes the broker's receive loop wait, which
/// holds back the publishing agents (QoS 1 acks come later) instead of dropping their messages. A message with an
/// <see cref="IngestReceipt"/> is acknowledged to its publisher only after its worker completed the receipt.
/// </summary>
internal sealed class IngestQueue : BackgroundService
{
    private readonly Channel<InboundMessage>[] _shards;
    private readonly TelemetryIngestor _ingestor;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<IngestQueue> _logger;

    public IngestQueue(TelemetryIngestor ingestor, IngestMetrics metrics, IOptions<TelemetryIngestOptions> options, ILogger<IngestQueue> logger)
    {
        _ingestor = ingestor;
        _metrics = metrics;
        _logger = logger;
        _shards = new Channel<InboundMessage>[options.Value.Workers];
        for (var i = 0; i < _shards.Length; i++)
        {
            _shards[i] = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.Value.QueueCapacity)
            {
                SingleReader = true,
                SingleWriter = false,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }
    }

    public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var shard = _shards[(int)((uint)StringComparer.Ordinal.GetHashCode(message.SiteId) % (uint)_shards.Length)];
        return shard.Writer.TryWrite(message) ? ValueTask.CompletedTask : shard.Writer.WriteAsync(message, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Task.Run without the token: a host that stops during its start (a port in use) must not see a canceled
            // worker as a crash of this service
            await Task.WhenAll(_shards.Select(shard => Task.Run(() => RunWorkerAsync(shard.Reader, stoppingToken), CancellationToken.None)))
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunWorkerAsync(ChannelReader<InboundMessage> reader, CancellationToken stoppingToken)
    {
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var message))
                {
                    try
                    {
                        await _ingestor.ApplyAsync(message, stoppingToken).ConfigureAwait(false);
                        message.Receipt?.Committed();
                        _metrics.MessageReceived(KindOf(message));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        // A receipt the ingestor already completed (the event was stored, a later step failed) stays
                        // completed; one whose write failed is failed, so the broker does not acknowledge it.
                        message.Receipt?.Failed(ex);
                        _metrics.WriteFailed(KindOf(message));
                        IngestLog.IngestFailed(_logger, ex, message.SiteId);
                    }
                    catch (OperationCanceledException)
                    {
                        message.Receipt?.Abandoned();
                        throw;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping: what is still queued was never acknowledged (its publisher sends it again).
            while (reader.TryRead(out var message))
            {
                message.Receipt?.Abandoned();
            }
        }
    }

    private static string KindOf(InboundMessage message) => message switch
    {
        InboundState => "state",
        InboundTelemetry => "telemetry",
        InboundEvent => "events",
        _ => "other",
    };
}
