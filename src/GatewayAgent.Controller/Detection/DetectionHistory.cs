using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Detection;

/// <summary>A contract's recent probes and its detector transitions, newest first.</summary>
public sealed class DetectionHistory(ControllerDatabase database)
{
    public Task<IReadOnlyList<ProbeHistoryEntry>> GetProbesAsync(long contractId, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ProbeHistoryEntry>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT id, outcome, status, detail, started_at, setup_ms, recorded_at FROM probe_records
                    WHERE contract_id = @c ORDER BY id DESC LIMIT @max
                    """);
                command.AddParameter("@c", contractId).AddParameter("@max", (long)max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<ProbeHistoryEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new ProbeHistoryEntry(
                        reader.Long(0),
                        Enum.Parse<ProbeOutcome>(reader.GetString(1)),
                        reader.NullableLong(2) is { } status ? (int)status : null,
                        reader.GetString(3),
                        reader.Time(4),
                        reader.NullableLong(5) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                        reader.Time(6)));
                }

                return entries;
            },
            cancellationToken);

    public Task<IReadOnlyList<DetectorEventEntry>> GetTransitionsAsync(long contractId, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<DetectorEventEntry>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT id, at, from_state, to_state, cause FROM detector_events
                    WHERE contract_id = @c ORDER BY id DESC LIMIT @max
                    """);
                command.AddParameter("@c", contractId).AddParameter("@max", (long)max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<DetectorEventEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new DetectorEventEntry(reader.Long(0), reader.Time(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
                }

                return entries;
            },
            cancellationToken);
}
