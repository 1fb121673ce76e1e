using System.Data.Common;
using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Storage;

/// <summary>
/// The persistent mail outbox (DESIGN.md: written in the transaction of the event that caused it, drained by the
/// dispatcher). Rows are claimed with a lease (claimed_by, lease_until) before they are sent, so several controllers
/// may drain one database (issue 4: never send twice); the undelivered alert is recorded in alerted_at.
/// </summary>
public sealed class OutboxStore(ControllerDatabase database) : IOutboxStore
{
    private const string Columns = "id, contract_id, kind, recipient, subject, body, created_at, attempts";

    /// <summary>Pending, due and not leased by anyone (a lease that has run out counts as none).</summary>
    private const string Claimable = "status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)";

    /// <summary>
    /// Mails pending and due (next attempt ≤ now), oldest first, whether claimed or not: a read for inspection and
    /// tests. The dispatcher uses <see cref="ClaimDueAsync"/>.
    /// </summary>
    public Task<IReadOnlyList<OutboxMail>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OutboxMail>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, $"""
                    SELECT {Columns}, next_attempt_at FROM outbox
                    WHERE status = 'pending' AND next_attempt_at <= @now
                    ORDER BY next_attempt_at, id LIMIT @max
                    """);
                command.AddParameter("@now", now).AddParameter("@max", (long)max);
                return await ReadMailsAsync(command, cancellationToken);
            },
            cancellationToken);

    /// <summary>
    /// One statement claims the rows (FN-4/FN-5 mails are sent once): PostgreSQL locks the candidates with
    /// FOR UPDATE SKIP LOCKED, so a concurrent claimer takes other rows instead of waiting and then re-checking; SQLite
    /// runs it in a BEGIN IMMEDIATE transaction, which holds the database's only write lock.
    /// </summary>
    public Task<IReadOnlyList<OutboxMail>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<OutboxMail>>(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, $"""
                    UPDATE outbox SET claimed_by = @owner, lease_until = @until
                    WHERE id IN (
                        SELECT id FROM outbox WHERE {Claimable}
                        ORDER BY next_attempt_at, id LIMIT @max{database.Dialect.ForUpdateSkipLocked})
                    RETURNING {Columns}, next_attempt_at
                    """);
                command.AddParameter("@owner", owner).AddParameter("@until", leaseUntil).AddParameter("@now", now).AddParameter("@max", (long)max);
                return await ReadMailsAsync(command, cancellationToken);
            },
            cancellationToken);

    public Task<bool> RenewLeaseAsync(long id, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(
                    transaction, "UPDATE outbox SET lease_until = @until WHERE id = @id AND claimed_by = @owner AND status = 'pending'");
                command.AddParameter("@id", id).AddParameter("@owner", owner).AddParameter("@until", leaseUntil);
                return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);

    public Task<OutboxSendStart> BeginSendAsync(long id, string owner, DateTimeOffset at, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await LockAsync(connection, transaction, id, cancellationToken);
                if (row is not { Status: OutboxStatus.Pending } || row.ClaimedBy != owner)
                {
                    return OutboxSendStart.NotHeld;
                }

                // Committed before the relay is contacted: a restart that finds it still set knows a resend may duplicate.
                var repeat = row.SendStartedAt is not null;
                await using var command = connection.CreateCommand(transaction, """
                    UPDATE outbox SET lease_until = @until, send_started_at = @at,
                        possibly_duplicated = CASE WHEN @repeat = 1 THEN 1 ELSE possibly_duplicated END
                    WHERE id = @id
                    """);
                command.AddParameter("@id", id).AddParameter("@until", leaseUntil).AddParameter("@at", at).AddParameter("@repeat", repeat ? 1L : 0L);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return repeat ? OutboxSendStart.Repeat : OutboxSendStart.First;
            },
            cancellationToken);

    public Task<int> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(
                    transaction, "UPDATE outbox SET lease_until = @until WHERE claimed_by = @owner AND status = 'pending'");
                command.AddParameter("@owner", owner).AddParameter("@until", leaseUntil);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(
                    transaction, "UPDATE outbox SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = @owner AND status = 'pending'");
                command.AddParameter("@owner", owner);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public Task<OutboxMarkResult> MarkDeliveredAsync(long id, string owner, DateTimeOffset at, string? serverReply, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await LockAsync(connection, transaction, id, cancellationToken);
                var held = row?.ClaimedBy == owner;
                if (row is not { Status: OutboxStatus.Pending })
                {
                    return OutboxMarkResult.NotRecorded(held, row?.AlertedAt);
                }

                await using var command = connection.CreateCommand(transaction, """
                    UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_attempt_at = @at, delivered_at = @at,
                        server_reply = @reply, last_error = NULL, claimed_by = NULL, lease_until = NULL, send_started_at = NULL
                    WHERE id = @id
                    """);
                command.AddParameter("@id", id).AddParameter("@at", at).AddParameter("@reply", serverReply);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return new OutboxMarkResult(true, held, row.AlertedAt, false);
            },
            cancellationToken);

    public Task<OutboxMarkResult> MarkAttemptFailedAsync(
        long id, string owner, DateTimeOffset at, string error, DateTimeOffset? nextAttempt, bool alertDue, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await LockAsync(connection, transaction, id, cancellationToken);
                var held = row?.ClaimedBy == owner;
                if (row is not { Status: OutboxStatus.Pending } || !held)
                {
                    return OutboxMarkResult.NotRecorded(held, row?.AlertedAt);
                }

                // The alert decision and its record are one transaction with the attempt (issue 4: alerted once).
                var raise = alertDue && row.AlertedAt is null;
                await using var command = connection.CreateCommand(transaction, """
                    UPDATE outbox SET attempts = attempts + 1, last_attempt_at = @at, last_error = @error,
                        status = @status, next_attempt_at = @next, claimed_by = NULL, lease_until = NULL, alerted_at = @alerted,
                        send_started_at = NULL
                    WHERE id = @id
                    """);
                command.AddParameter("@id", id).AddParameter("@at", at).AddParameter("@error", error)
                    .AddParameter("@status", nextAttempt is null ? OutboxStatus.Failed : OutboxStatus.Pending)
                    .AddParameter("@next", nextAttempt ?? at)
                    .AddParameter("@alerted", raise ? at : row.AlertedAt);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return new OutboxMarkResult(true, true, raise ? at : row.AlertedAt, raise);
            },
            cancellationToken);

    public Task<long> EnqueueAsync(long? contractId, MailKind kind, string recipient, ComposedMail mail, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => InsertAsync(connection, transaction, contractId, null, kind, recipient, mail, now, cancellationToken),
            cancellationToken);

    public Task<int> CountPendingAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
                return (int)(await command.ScalarLongAsync(cancellationToken) ?? 0);
            },
            cancellationToken);

    /// <summary>The mails of one contract, newest first, with their delivery state.</summary>
    public Task<IReadOnlyList<OutboxEntry>> ListForContractAsync(long contractId, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OutboxEntry>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT id, contract_id, kind, recipient, subject, created_at, status, attempts, next_attempt_at, last_error,
                        delivered_at, server_reply, possibly_duplicated
                    FROM outbox WHERE contract_id = @c ORDER BY id DESC LIMIT @max
                    """);
                command.AddParameter("@c", contractId).AddParameter("@max", (long)max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<OutboxEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    var status = reader.GetString(6);
                    entries.Add(new OutboxEntry(
                        reader.Long(0), reader.NullableLong(1), Enum.Parse<MailKind>(reader.GetString(2)), reader.GetString(3),
                        reader.GetString(4), reader.Time(5), status, (int)reader.Long(7),
                        status == OutboxStatus.Pending ? reader.NullableTime(8) : null, reader.NullableString(9), reader.NullableTime(10),
                        reader.NullableString(11), reader.Long(12) != 0));
                }

                return entries;
            },
            cancellationToken);

    private async Task<ClaimState?> LockAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
            transaction, $"SELECT status, claimed_by, alerted_at, send_started_at FROM outbox WHERE id = @id{database.Dialect.ForUpdate}");
        command.AddParameter("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClaimState(reader.GetString(0), reader.NullableString(1), reader.NullableTime(2), reader.NullableTime(3))
            : null;
    }

    /// <summary>Reads <see cref="Columns"/> then next_attempt_at, and orders by (next_attempt_at, id): RETURNING has no order.</summary>
    private static async Task<IReadOnlyList<OutboxMail>> ReadMailsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var mails = new List<(long Due, OutboxMail Mail)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            mails.Add((reader.Long(8), new OutboxMail(
                reader.Long(0), reader.NullableLong(1), Enum.Parse<MailKind>(reader.GetString(2)), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.Time(6), (int)reader.Long(7))));
        }

        return [.. mails.OrderBy(m => m.Due).ThenBy(m => m.Mail.Id).Select(m => m.Mail)];
    }

    private sealed record ClaimState(string Status, string? ClaimedBy, DateTimeOffset? AlertedAt, DateTimeOffset? SendStartedAt);

    /// <summary>Inserts one pending mail inside the caller's transaction (the detector's transition, or <see cref="EnqueueAsync"/>).</summary>
    public static async Task<long> InsertAsync(
        DbConnection connection,
        DbTransaction transaction,
        long? contractId,
        long? detectorEventId,
        MailKind kind,
        string recipient,
        ComposedMail mail,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, """
            INSERT INTO outbox (contract_id, detector_event_id, kind, recipient, subject, body, created_at, status, attempts, next_attempt_at)
            VALUES (@c, @e, @kind, @to, @subject, @body, @now, 'pending', 0, @now)
            RETURNING id
            """);
        command.AddParameter("@c", contractId).AddParameter("@e", detectorEventId).AddParameter("@kind", kind.ToString())
            .AddParameter("@to", recipient).AddParameter("@subject", mail.Subject).AddParameter("@body", mail.Body).AddParameter("@now", now);
        return await command.ScalarLongAsync(cancellationToken) ?? throw new InvalidOperationException("INSERT ... RETURNING gave no id");
    }
}
