using System.Data.Common;
using GatewayAgent.Controller.Ingest;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// The sites' live status in site_live_status, one row per site, shared by every controller node (docs/scale-out.md,
/// "Live status"). A write merges per field: a field is replaced only by a change at least as new (its *_at column),
/// so nodes that received a site's messages in any order, and write in any order, leave the same row. Rows are written
/// in site order, so two nodes' batches never wait on each other's row locks in a cycle.
/// </summary>
public sealed class SiteLiveStatusStore(ControllerDatabase database) : ISiteLiveStatusStore
{
    private const string Columns = "site_id, online, online_at, power, power_at, battery_percent, battery_at, wan, wan_at, version, version_at, last_seq, seq_at, last_seen";

    /// <summary>(value column, time column) pairs merged newest-wins.</summary>
    private static readonly (string Value, string At)[] Fields =
    [
        ("online", "online_at"), ("power", "power_at"), ("battery_percent", "battery_at"), ("wan", "wan_at"), ("version", "version_at"), ("last_seq", "seq_at"),
    ];

    private static readonly string Upsert = $"""
        INSERT INTO site_live_status ({Columns})
        VALUES (@site, @online, @online_at, @power, @power_at, @battery, @battery_at, @wan, @wan_at, @version, @version_at, @seq, @seq_at, @last_seen)
        ON CONFLICT (site_id) DO UPDATE SET
        {string.Join(",\n", Fields.SelectMany(f => new[] { Newest(f.Value, f.At), Newest(f.At, f.At) }))},
        last_seen = CASE WHEN {Newer("last_seen")} THEN excluded.last_seen ELSE site_live_status.last_seen END
        """;

    public async Task SaveAsync(IReadOnlyCollection<SiteLiveRecord> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        await database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var change in changes.OrderBy(c => c.SiteId, StringComparer.Ordinal))
                {
                    await using var command = connection.CreateCommand(transaction, Upsert);
                    command.AddParameter("@site", change.SiteId)
                        .AddParameter("@online", change.Online).AddParameter("@online_at", change.OnlineAt)
                        .AddParameter("@power", change.Power).AddParameter("@power_at", change.PowerAt)
                        .AddParameter("@battery", change.BatteryPercent).AddParameter("@battery_at", change.BatteryAt)
                        .AddParameter("@wan", change.Wan).AddParameter("@wan_at", change.WanAt)
                        .AddParameter("@version", change.Version).AddParameter("@version_at", change.VersionAt)
                        .AddParameter("@seq", change.LastSeq).AddParameter("@seq_at", change.SeqAt)
                        .AddParameter("@last_seen", change.LastSeen);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                return changes.Count;
            },
            cancellationToken);
    }

    public Task<SiteLiveRecord?> LoadAsync(string siteId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, $"SELECT {Columns} FROM site_live_status WHERE site_id = @site");
                command.AddParameter("@site", siteId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
            },
            cancellationToken);

    private static SiteLiveRecord Read(DbDataReader reader) => new(reader.GetString(0))
    {
        Online = reader.Bool(1),
        OnlineAt = reader.NullableTime(2),
        Power = reader.NullableString(3),
        PowerAt = reader.NullableTime(4),
        BatteryPercent = reader.IsDBNull(5) ? null : reader.GetDouble(5),
        BatteryAt = reader.NullableTime(6),
        Wan = reader.NullableString(7),
        WanAt = reader.NullableTime(8),
        Version = reader.NullableString(9),
        VersionAt = reader.NullableTime(10),
        LastSeq = reader.Long(11),
        SeqAt = reader.NullableTime(12),
        LastSeen = reader.NullableTime(13),
    };

    private static string Newer(string at) => $"excluded.{at} IS NOT NULL AND (site_live_status.{at} IS NULL OR excluded.{at} >= site_live_status.{at})";

    private static string Newest(string column, string at) =>
        $"{column} = CASE WHEN {Newer(at)} THEN excluded.{column} ELSE site_live_status.{column} END";
}
