using System.Data.Common;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Forwarding;

/// <summary>
/// The per-contract bulk-forward switch (BF-1, BF-4, FN-6, FN-7, BF-11). Every change is stored with its time and
/// reason, audited in forwarding_audit, and published (retained) once committed. The operator's stop holds the switch
/// off (BF-11) until the operator releases it: meanwhile a start is refused and an auto-start is audited as suppressed.
/// </summary>
public sealed class ForwardingSwitch(
    ControllerDatabase database,
    ContractStore contracts,
    ContractStateNotifier notifier,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<ForwardingSwitch> logger)
{
    /// <summary>The switch-audit note of a start or stop made by the customer on the settings site.</summary>
    public const string SiteNote = "settings site";

    /// <summary>
    /// Manual start (BF-4: needs at least one registered destination). Null when the contract does not exist;
    /// <see cref="ForwardingHeldException"/> while the operator holds the switch (BF-11).
    /// </summary>
    public Task<ContractRecord?> StartAsync(long contractId, string actor, string? note, CancellationToken cancellationToken) =>
        StartAsync(contractId, actor, note, operatorNote: null, cancellationToken);

    /// <summary>
    /// <see cref="StartAsync(long, string, string?, CancellationToken)"/> by an API caller: <paramref name="actor"/> is the
    /// authenticated key's name, <paramref name="operatorNote"/> the free X-Operator header, audited beside it.
    /// </summary>
    public Task<ContractRecord?> StartAsync(long contractId, string actor, string? note, string? operatorNote, CancellationToken cancellationToken) =>
        StartAsync(contractId, actor, note, operatorNote, guard: null, cancellationToken);

    /// <summary>
    /// The customer's start from the settings site: the same rules (BF-4, BF-11), refused with
    /// <see cref="Customers.StaleSettingsException"/> when the form showed an older version of the contract (SS-11), and
    /// recorded in the settings audit as well as the switch's (the login number as the actor).
    /// </summary>
    public Task<ContractRecord?> StartAsync(long contractId, SettingsWrite guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return StartAsync(contractId, guard.Actor, SiteNote, operatorNote: null, guard, cancellationToken);
    }

    /// <summary>The customer's stop from the settings site (see <see cref="StartAsync(long, SettingsWrite, CancellationToken)"/>).</summary>
    public Task<ContractRecord?> StopAsync(long contractId, SettingsWrite guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return ChangeAsync(
            contractId,
            (connection, transaction, current, now) =>
                ApplyAsync(connection, transaction, current, on: false, ForwardingReasons.Manual, guard.Actor, SiteNote, operatorNote: null, now, cancellationToken),
            guard,
            cancellationToken);
    }

    private Task<ContractRecord?> StartAsync(
        long contractId, string actor, string? note, string? operatorNote, SettingsWrite? guard, CancellationToken cancellationToken) =>
        ChangeAsync(
            contractId,
            (connection, transaction, current, now) =>
            {
                // BF-11: the operator's hold wins over the customer's start until the operator releases it.
                if (current.Forwarding.Held)
                {
                    throw new ForwardingHeldException(current.Id, current.Forwarding.HeldSince, current.Forwarding.HeldBy, current.Forwarding.HeldNote);
                }

                // BF-4: destinations must be registered before bulk forward can start.
                if (current.Destinations.Count == 0)
                {
                    throw new ContractRuleException(new RuleViolation("destinations", "BF-4", "register at least one destination before starting bulk forward"));
                }

                return ApplyAsync(connection, transaction, current, on: true, ForwardingReasons.Manual, actor, note, operatorNote, now, cancellationToken);
            },
            guard,
            cancellationToken);

    /// <summary>
    /// Manual stop, or with <paramref name="operatorOverride"/> the operator's stop on behalf of the destination's owner
    /// (BF-11), which must say why in <paramref name="note"/>. The operator's stop also holds the switch off, in the same
    /// transaction, even when forwarding already was off; a second one while held changes nothing.
    /// </summary>
    public Task<ContractRecord?> StopAsync(long contractId, bool operatorOverride, string actor, string? note, CancellationToken cancellationToken) =>
        StopAsync(contractId, operatorOverride, actor, note, operatorNote: null, cancellationToken);

    /// <summary><see cref="StopAsync(long, bool, string, string?, CancellationToken)"/> by an API caller, with the X-Operator note.</summary>
    public Task<ContractRecord?> StopAsync(
        long contractId, bool operatorOverride, string actor, string? note, string? operatorNote, CancellationToken cancellationToken)
    {
        if (!operatorOverride)
        {
            return ChangeAsync(
                contractId,
                (connection, transaction, current, now) =>
                    ApplyAsync(connection, transaction, current, on: false, ForwardingReasons.Manual, actor, note, operatorNote, now, cancellationToken),
                cancellationToken);
        }

        RequireNote(note, "an operator override must record why (e.g. who asked)");
        return ChangeAsync(
            contractId,
            async (connection, transaction, current, now) =>
            {
                var stopped = await ApplyAsync(
                    connection, transaction, current, on: false, ForwardingReasons.OperatorOverride, actor, note, operatorNote, now, cancellationToken);
                if (current.Forwarding.Held)
                {
                    return stopped;
                }

                await SetHeldAsync(connection, transaction, current.Id, held: true, cancellationToken);
                await AuditAsync(connection, transaction, current.Id, now, on: false, ForwardingReasons.OperatorHold, actor, note, operatorNote, cancellationToken);
                Log.Held(logger, current.Id, actor);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// Ends the operator's hold (BF-11), audited with <paramref name="note"/> (required). Forwarding stays off: a start
    /// (or the next failure's auto-start) turns it on. Releasing a switch that is not held changes nothing. Null when
    /// the contract does not exist.
    /// </summary>
    public Task<ContractRecord?> ReleaseAsync(long contractId, string actor, string? note, CancellationToken cancellationToken) =>
        ReleaseAsync(contractId, actor, note, operatorNote: null, cancellationToken);

    /// <summary><see cref="ReleaseAsync(long, string, string?, CancellationToken)"/> by an API caller, with the X-Operator note.</summary>
    public Task<ContractRecord?> ReleaseAsync(long contractId, string actor, string? note, string? operatorNote, CancellationToken cancellationToken)
    {
        RequireNote(note, "releasing the operator's hold must record why");
        return ChangeAsync(
            contractId,
            async (connection, transaction, current, now) =>
            {
                if (!current.Forwarding.Held)
                {
                    return false;
                }

                await SetHeldAsync(connection, transaction, current.Id, held: false, cancellationToken);
                await AuditAsync(
                    connection, transaction, current.Id, now, current.Forwarding.On, ForwardingReasons.OperatorRelease, actor, note, operatorNote, cancellationToken);
                Log.Released(logger, current.Id, actor);
                return true;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ForwardingAuditEntry>> GetAuditAsync(long contractId, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ForwardingAuditEntry>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT id, at, forwarding_on, reason, actor, note, operator_note FROM forwarding_audit
                    WHERE contract_id = @c ORDER BY id DESC LIMIT @max
                    """);
                command.AddParameter("@c", contractId).AddParameter("@max", (long)max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<ForwardingAuditEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new ForwardingAuditEntry(
                        reader.Long(0), reader.Time(1), reader.Bool(2), reader.GetString(3), reader.GetString(4), reader.NullableString(5),
                        reader.NullableString(6)));
                }

                return entries;
            },
            cancellationToken);

    /// <summary>
    /// Sets the switch inside the caller's transaction; false when it already was in that position (nothing audited).
    /// A start while the operator holds the switch (BF-11) is not applied either: it is audited as
    /// <see cref="ForwardingReasons.AutoStartSuppressed"/> (switch off, the same actor, the note saying why), so the
    /// operator sees that a failure wanted forwarding on. The caller publishes after commit.
    /// </summary>
    public Task<bool> ApplyAsync(
        DbConnection connection,
        DbTransaction transaction,
        ContractRecord contract,
        bool on,
        string reason,
        string actor,
        string? note,
        DateTimeOffset now,
        CancellationToken cancellationToken) =>
        ApplyAsync(connection, transaction, contract, on, reason, actor, note, operatorNote: null, now, cancellationToken);

    private async Task<bool> ApplyAsync(
        DbConnection connection,
        DbTransaction transaction,
        ContractRecord contract,
        bool on,
        string reason,
        string actor,
        string? note,
        string? operatorNote,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (on && contract.Forwarding.Held)
        {
            var why = $"{reason} not applied: held by the operator (BF-11){(note is null ? "" : $"; {note}")}";
            await AuditAsync(connection, transaction, contract.Id, now, contract.Forwarding.On, ForwardingReasons.AutoStartSuppressed, actor, why, operatorNote, cancellationToken);
            Log.StartSuppressed(logger, contract.Id, reason, actor);
            return false;
        }

        if (contract.Forwarding.On == on)
        {
            return false;
        }

        await using (var update = connection.CreateCommand(
            transaction, "UPDATE contracts SET forwarding_on = @on, forwarding_since = @now, forwarding_reason = @reason, row_version = row_version + 1 WHERE id = @id"))
        {
            update.AddParameter("@on", on).AddParameter("@now", now).AddParameter("@reason", reason).AddParameter("@id", contract.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditAsync(connection, transaction, contract.Id, now, on, reason, actor, note, operatorNote, cancellationToken);
        metrics.ForwardingChanged(on, reason);
        Log.Switched(logger, contract.Id, on ? "on" : "off", reason, actor);
        return true;
    }

    private static void RequireNote(string? note, string message)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            throw new ContractRuleException(new RuleViolation("note", "BF-11", message));
        }
    }

    private static async Task SetHeldAsync(DbConnection connection, DbTransaction transaction, long contractId, bool held, CancellationToken cancellationToken)
    {
        await using var update = connection.CreateCommand(transaction, "UPDATE contracts SET forwarding_held = @held, row_version = row_version + 1 WHERE id = @id");
        update.AddParameter("@held", held).AddParameter("@id", contractId);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task AuditAsync(
        DbConnection connection,
        DbTransaction transaction,
        long contractId,
        DateTimeOffset now,
        bool on,
        string reason,
        string actor,
        string? note,
        string? operatorNote,
        CancellationToken cancellationToken)
    {
        await using var audit = connection.CreateCommand(transaction, """
            INSERT INTO forwarding_audit (contract_id, at, forwarding_on, reason, actor, note, operator_note)
            VALUES (@id, @now, @on, @reason, @actor, @note, @operator)
            """);
        audit.AddParameter("@id", contractId).AddParameter("@now", now).AddParameter("@on", on).AddParameter("@reason", reason)
            .AddParameter("@actor", actor).AddParameter("@note", note).AddParameter("@operator", operatorNote);
        await audit.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="change"/> on the locked contract in one transaction; when it reports a change, answers the
    /// contract as committed and publishes it. Null when the contract does not exist.
    /// </summary>
    private Task<ContractRecord?> ChangeAsync(
        long contractId,
        Func<DbConnection, DbTransaction, ContractRecord, DateTimeOffset, Task<bool>> change,
        CancellationToken cancellationToken) =>
        ChangeAsync(contractId, change, guard: null, cancellationToken);

    /// <summary>
    /// <see cref="ChangeAsync(long, Func{DbConnection, DbTransaction, ContractRecord, DateTimeOffset, Task{bool}}, CancellationToken)"/>,
    /// with a settings form's <paramref name="guard"/>: the version checked first (SS-11), the change recorded in the
    /// settings audit when it changed something.
    /// </summary>
    private async Task<ContractRecord?> ChangeAsync(
        long contractId,
        Func<DbConnection, DbTransaction, ContractRecord, DateTimeOffset, Task<bool>> change,
        SettingsWrite? guard,
        CancellationToken cancellationToken)
    {
        var (contract, changed) = await database.WriteAsync<(ContractRecord?, bool)>(
            async (connection, transaction) =>
            {
                var current = await contracts.ReadAsync(connection, transaction, contractId, lockRow: true, cancellationToken);
                if (current is null)
                {
                    return (null, false);
                }

                guard?.RequireVersion(current);
                var now = time.GetUtcNow();
                var changed = await change(connection, transaction, current, now);
                if (!changed)
                {
                    return (current, false);
                }

                var after = (await contracts.ReadAsync(connection, transaction, contractId, lockRow: false, cancellationToken))!;
                if (guard is not null)
                {
                    await guard.RecordAsync(connection, transaction, current, after, now, cancellationToken);
                }

                return (after, true);
            },
            cancellationToken);
        if (changed && contract is not null)
        {
            await notifier.PublishAsync(contract, cancellationToken);
        }

        return contract;
    }
}
