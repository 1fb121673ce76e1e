using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ingest;

/// <summary>
/// Writes this node's live-status changes to the <see cref="ISiteLiveStatusStore"/> so every controller node serves
/// them (docs/scale-out.md, "Live status"). A change is written at once when the writer is idle; changes that come
/// within the next Controller:Ingest:LiveFlush are coalesced to one row write per site. A failed write is kept and
/// retried; a clean stop writes what is pending. Does nothing without a store.
/// </summary>
internal sealed class SiteLiveStatusWriter(
    SiteLiveStatusRegistry registry,
    IngestMetrics metrics,
    IOptions<TelemetryIngestOptions> options,
    TimeProvider time,
    ILogger<SiteLiveStatusWriter> logger,
    ISiteLiveStatusStore? store = null) : BackgroundService
{
    /// <summary>Sites written per transaction.</summary>
    internal const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await registry.WaitForChangesAsync(stoppingToken).ConfigureAwait(false);
                await FlushAsync(store, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                IngestLog.LiveStatusWriteFailed(logger, ex, registry.PendingCount);
            }

            try
            {
                // Coalescing: what comes meanwhile is written together, one row per site.
                await Task.Delay(options.Value.LiveFlush, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (store is null || registry.PendingCount == 0)
        {
            return;
        }

        try
        {
            await FlushAsync(store, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            IngestLog.LiveStatusWriteFailed(logger, ex, registry.PendingCount);
        }
    }

    /// <summary>Writes what is pending now, <see cref="BatchSize"/> sites per transaction.</summary>
    private async Task FlushAsync(ISiteLiveStatusStore target, CancellationToken cancellationToken)
    {
        for (var rounds = registry.PendingCount / BatchSize + 1; rounds > 0; rounds--)
        {
            var batch = registry.TakePending(BatchSize);
            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                await target.SaveAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                registry.Restore(batch);
                throw;
            }

            metrics.LiveStatusWritten(batch.Count);
        }
    }
}
