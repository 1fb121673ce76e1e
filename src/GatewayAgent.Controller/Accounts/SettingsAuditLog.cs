using System.Data.Common;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// The settings audit (issue 11): every change made through the settings site or the temporary-password IVR records who,
/// when, on what and what, inside the transaction that makes the change, so a change is never without its record.
/// </summary>
public sealed class SettingsAuditLog(ControllerDatabase database)
{
    /// <summary>Records one change in <paramref name="transaction"/>.</summary>
    public static async Task RecordAsync(
        DbConnection connection, DbTransaction transaction, long? contractId, DateTimeOffset at, string actor, string target, string action,
        string? detail, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand(
            transaction,
            "INSERT INTO settings_audit (contract_id, at, actor, target, action, detail) VALUES (@c, @at, @actor, @target, @action, @detail)");
        insert.AddParameter("@c", contractId).AddParameter("@at", at).AddParameter("@actor", actor).AddParameter("@target", target)
            .AddParameter("@action", action).AddParameter("@detail", detail);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> entries of a contract, newest first.</summary>
    public async Task<IReadOnlyList<SettingsAuditEntry>> ListAsync(long contractId, int limit, CancellationToken cancellationToken) =>
        (await ListAsync(contractId, limit, before: null, cancellationToken)).Entries;

    /// <summary>
    /// One page of a contract's entries, newest first: at most <paramref name="limit"/> with an id below
    /// <paramref name="before"/> (null: from the newest). The page's <see cref="SettingsAuditPage.NextBefore"/> asks for
    /// the next older page (null when there is none).
    /// </summary>
    public Task<SettingsAuditPage> ListAsync(long contractId, int limit, long? before, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(
                    null,
                    "SELECT id, contract_id, at, actor, target, action, detail FROM settings_audit WHERE contract_id = @c AND id < @before ORDER BY id DESC LIMIT @limit");
                command.AddParameter("@c", contractId).AddParameter("@before", before ?? long.MaxValue).AddParameter("@limit", (long)limit + 1);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<SettingsAuditEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new SettingsAuditEntry(
                        reader.Long(0), reader.NullableLong(1), reader.Time(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                        reader.NullableString(6)));
                }

                var more = entries.Count > limit;
                return more ? new SettingsAuditPage(entries[..limit], entries[limit - 1].Id) : new SettingsAuditPage(entries, null);
            },
            cancellationToken);
}
