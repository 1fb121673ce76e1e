using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// Ingested agent events, once per (site, event id). The detector reads the latest live power/WAN signal of a site
/// from here to name a failure's cause (power.lost / offline).
/// </summary>
public sealed class SiteEventLog(ControllerDatabase database, ILogger<SiteEventLog> logger) : ISiteEventLog
{
    public async ValueTask<bool> TryAddAsync(string siteId, AgentEvent agentEvent, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var added = await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, """
                    INSERT INTO site_events (site_id, event_id, seq, ts, type, historical, detail, data, received_at)
                    VALUES (@site, @id, @seq, @ts, @type, @historical, @detail, @data, @received)
                    ON CONFLICT (site_id, event_id) DO NOTHING
                    """);
                command.AddParameter("@site", siteId).AddParameter("@id", agentEvent.Id).AddParameter("@seq", agentEvent.Seq)
                    .AddParameter("@ts", agentEvent.Ts).AddParameter("@type", agentEvent.Type).AddParameter("@historical", agentEvent.Historical)
                    .AddParameter("@detail", agentEvent.Detail).AddParameter("@data", agentEvent.Data?.GetRawText())
                    .AddParameter("@received", receivedAt);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
        if (!added)
        {
            Log.DuplicateSiteEvent(logger, siteId, agentEvent.Id);
        }

        return added;
    }

    public async ValueTask<long> CountStoredSeqsAsync(string siteId, long afterSeq, long beforeSeq, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT COUNT(DISTINCT seq) FROM site_events WHERE site_id = @site AND seq > @after AND seq < @before
                    """);
                command.AddParameter("@site", siteId).AddParameter("@after", afterSeq).AddParameter("@before", beforeSeq);
                return await command.ScalarLongAsync(cancellationToken) ?? 0;
            },
            cancellationToken);
}
