using System.Data.Common;
using GatewayAgent.Contracts;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Detection;

/// <summary>
/// Names a failure's cause from the site's latest telemetry: a live (not replayed) power.lost within
/// Controller:Detection:SignalWindow ⇒ "power.lost"; a recent wan.down, or the agent offline now (its MQTT will)
/// ⇒ "offline"; otherwise "no-answer". A later power.restored / wan.up cancels the earlier signal.
/// </summary>
public sealed class FailureCauseResolver(IOptions<DetectionOptions> options, ISiteLiveStatusReader? liveStatus = null)
{
    public async Task<string> ResolveAsync(DbConnection connection, DbTransaction transaction, string? siteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (siteId is null)
        {
            return FailureCauses.NoAnswer;
        }

        await using (var command = connection.CreateCommand(transaction, """
            SELECT type FROM site_events
            WHERE site_id = @s AND historical = 0 AND received_at >= @since AND type IN (@lost, @restored, @down, @up)
            ORDER BY received_at DESC, id DESC LIMIT 1
            """))
        {
            command.AddParameter("@s", siteId).AddParameter("@since", now - options.Value.SignalWindow)
                .AddParameter("@lost", EventTypes.PowerLost).AddParameter("@restored", EventTypes.PowerRestored)
                .AddParameter("@down", EventTypes.WanDown).AddParameter("@up", EventTypes.WanUp);
            switch (await command.ExecuteScalarAsync(cancellationToken) as string)
            {
                case EventTypes.PowerLost:
                    return FailureCauses.PowerLost;
                case EventTypes.WanDown:
                    return FailureCauses.Offline;
            }
        }

        // The live status as every node sees it (a read of its own, at most one at a time: the recorder writes one batch at a time).
        var live = liveStatus is null ? null : await liveStatus.GetAsync(siteId, cancellationToken);
        return live is { Online: false } ? FailureCauses.Offline : FailureCauses.NoAnswer;
    }
}
