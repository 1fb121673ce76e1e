using GatewayAgent.Controller.Ingest;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// Stored site events are kept for Controller:Ingest:EventRetention (issue 12 item 8): at start and then every
/// EventPurgeInterval, on the injected clock, events received before the cutoff are deleted (index
/// ix_site_events_received). A failed purge is logged and tried again at the next interval.
/// </summary>
public sealed class SiteEventRetention(
    ControllerDatabase database,
    IOptions<TelemetryIngestOptions> options,
    TimeProvider time,
    ILogger<SiteEventRetention> logger) : BackgroundService
{
    /// <summary>Purges events received before now minus the retention; returns how many were deleted.</summary>
    public Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.EventRetention;
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, "DELETE FROM site_events WHERE received_at < @cutoff");
                command.AddParameter("@cutoff", cutoff);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken).ConfigureAwait(false);
                if (purged > 0)
                {
                    Log.SiteEventsPurged(logger, purged, options.Value.EventRetention);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SiteEventPurgeFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.EventPurgeInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
