using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Metrics;

/// <summary>
/// Refreshes the store-backed gauges (detector states, switch states, outbox depth) and the write-failure counts and
/// last commit age (issue 12 item 9) before each scrape.
/// </summary>
public sealed class StoreGaugeSampler
{
    private readonly ControllerDatabase _database;
    private readonly ControllerMetrics _metrics;

    private readonly WriteHealth? _writes;
    private readonly IngestMetrics? _ingest;
    private readonly ProbingMetrics? _probing;

    public StoreGaugeSampler(ControllerDatabase database, ControllerMetrics metrics, WriteHealth? writes = null, IngestMetrics? ingest = null, ProbingMetrics? probing = null)
    {
        _database = database;
        _metrics = metrics;
        _writes = writes;
        _ingest = ingest;
        _probing = probing;
        metrics.Registry.AddBeforeCollectCallback(SampleAsync);
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        _metrics.SetWriteHealth(_writes?.FailureTotal ?? 0, _ingest?.WriteFailuresTotal ?? 0, _probing?.RecordFailuresTotal ?? 0, _writes?.LastCommitAge);
        var counts = await _database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT
                        (SELECT COUNT(*) FROM contracts WHERE service_on = 1 AND detector_state = 'normal'),
                        (SELECT COUNT(*) FROM contracts WHERE service_on = 1 AND detector_state = 'failed'),
                        (SELECT COUNT(*) FROM contracts WHERE forwarding_on = 1),
                        (SELECT COUNT(*) FROM contracts WHERE forwarding_on = 0),
                        (SELECT COUNT(*) FROM outbox WHERE status = 'pending')
                    """);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                return (reader.Long(0), reader.Long(1), reader.Long(2), reader.Long(3), reader.Long(4));
            },
            cancellationToken);
        _metrics.SetStoreGauges(counts.Item1, counts.Item2, counts.Item3, counts.Item4, counts.Item5);
    }
}
