using System.Data.Common;
using GatewayAgent.Controller.Notification;

namespace GatewayAgent.Controller.Storage;

/// <summary>The persistent mail outbox (DESIGN.md: written in the transaction of the event that caused it, drained by the dispatcher).</summary>
public sealed class OutboxStore(ControllerDatabase database) : IOutboxStore
{
    private const string Columns = "id, contract_id, kind, recipient, subject, body, created_at, attempts";

    public Task<IReadOnlyList<OutboxMail>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OutboxMail>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, $"""
                    SELECT {Columns} FROM outbox
                    WHERE status = 'pending' AND next_attempt_at <= @now
                    ORDER BY next_attempt_at, id LIMIT @max
                    """);
                command.AddParameter("@now", now).AddParameter("@max", (long)max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var mails = new List<OutboxMail>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    mails.Add(new OutboxMail(
                        reader.Long(0), reader.NullableLong(1), Enum.Parse<MailKind>(reader.GetString(2)), reader.GetString(3),
                        reader.GetString(4), reader.GetString(5), reader.Time(6), (int)reader.Long(7)));
                }

                return mails;
            },
            cancellationToken);

    public Task MarkDeliveredAsync(long id, DateTimeOffset at, string? serverReply, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, """
                    UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_attempt_at = @at, delivered_at = @at,
                        server_reply = @reply, last_error = NULL
                    WHERE id = @id
                    """);
                command.AddParameter("@id", id).AddParameter("@at", at).AddParameter("@reply", serverReply);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public Task MarkAttemptFailedAsync(long id, DateTimeOffset at, string error, DateTimeOffset? nextAttempt, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand(transaction, """
                    UPDATE outbox SET attempts = attempts + 1, last_attempt_at = @at, last_error = @error,
                        status = @status, next_attempt_at = @next
                    WHERE id = @id
                    """);
                command.AddParameter("@id", id).AddParameter("@at", at).AddParameter("@error", error)
                    .AddParameter("@status", nextAttempt is null ? OutboxStatus.Failed : OutboxStatus.Pending)
                    .AddParameter("@next", nextAttempt ?? at);
                return await command.ExecuteNonQueryAsync(cancellationToken);
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
                        delivered_at, server_reply
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
                        reader.NullableString(11)));
                }

                return entries;
            },
            cancellationToken);

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
