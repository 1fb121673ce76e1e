using System.Data.Common;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Storage;

namespace GatewayAgent.Controller.Forwarding;

/// <summary>
/// The per-contract bulk-forward switch (BF-1, BF-4, FN-6, FN-7, BF-11). Every change is stored with its time and
/// reason, audited in forwarding_audit, and published (retained) once committed.
/// </summary>
public sealed class ForwardingSwitch(
    ControllerDatabase database,
    ContractStore contracts,
    ContractStateNotifier notifier,
    ControllerMetrics metrics,
    TimeProvider time,
    ILogger<ForwardingSwitch> logger)
{
    /// <summary>Manual start (BF-4: needs at least one registered destination). Null when the contract does not exist.</summary>
    public Task<ContractRecord?> StartAsync(long contractId, string actor, string? note, CancellationToken cancellationToken) =>
        ChangeAsync(contractId, on: true, ForwardingReasons.Manual, actor, note, cancellationToken);

    /// <summary>
    /// Manual stop, or with <paramref name="operatorOverride"/> the operator's stop on behalf of the destination's owner
    /// (BF-11), which must say why in <paramref name="note"/>.
    /// </summary>
    public Task<ContractRecord?> StopAsync(long contractId, bool operatorOverride, string actor, string? note, CancellationToken cancellationToken)
    {
        if (operatorOverride && string.IsNullOrWhiteSpace(note))
        {
            throw new ContractRuleException(new RuleViolation("note", "BF-11", "an operator override must record why (e.g. who asked)"));
        }

        return ChangeAsync(contractId, on: false, operatorOverride ? ForwardingReasons.OperatorOverride : ForwardingReasons.Manual, actor, note, cancellationToken);
    }

    public Task<IReadOnlyList<ForwardingAuditEntry>> GetAuditAsync(long contractId, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ForwardingAuditEntry>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, """
                    SELECT id, at, forwarding_on, reason, actor, note FROM forwarding_audit
                    WHERE contract_id = @c ORDER BY id DESC LIMIT @max
                    """);
                command.AddParameter("@c", contractId).AddParameter("@max", (long)max);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var entries = new List<ForwardingAuditEntry>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new ForwardingAuditEntry(
                        reader.Long(0), reader.Time(1), reader.Bool(2), reader.GetString(3), reader.GetString(4), reader.NullableString(5)));
                }

                return entries;
            },
            cancellationToken);

    /// <summary>
    /// Sets the switch inside the caller's transaction; false when it already was in that position (nothing audited).
    /// The caller publishes after commit.
    /// </summary>
    public async Task<bool> ApplyAsync(
        DbConnection connection,
        DbTransaction transaction,
        ContractRecord contract,
        bool on,
        string reason,
        string actor,
        string? note,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (contract.Forwarding.On == on)
        {
            return false;
        }

        await using (var update = connection.CreateCommand(
            transaction, "UPDATE contracts SET forwarding_on = @on, forwarding_since = @now, forwarding_reason = @reason WHERE id = @id"))
        {
            update.AddParameter("@on", on).AddParameter("@now", now).AddParameter("@reason", reason).AddParameter("@id", contract.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var audit = connection.CreateCommand(transaction, """
            INSERT INTO forwarding_audit (contract_id, at, forwarding_on, reason, actor, note) VALUES (@id, @now, @on, @reason, @actor, @note)
            """))
        {
            audit.AddParameter("@id", contract.Id).AddParameter("@now", now).AddParameter("@on", on).AddParameter("@reason", reason)
                .AddParameter("@actor", actor).AddParameter("@note", note);
            await audit.ExecuteNonQueryAsync(cancellationToken);
        }

        metrics.ForwardingChanged(on, reason);
        Log.Switched(logger, contract.Id, on ? "on" : "off", reason, actor);
        return true;
    }

    private async Task<ContractRecord?> ChangeAsync(
        long contractId, bool on, string reason, string actor, string? note, CancellationToken cancellationToken)
    {
        var (contract, changed) = await database.WriteAsync<(ContractRecord?, bool)>(
            async (connection, transaction) =>
            {
                var current = await contracts.ReadAsync(connection, transaction, contractId, lockRow: true, cancellationToken);
                if (current is null)
                {
                    return (null, false);
                }

                // BF-4: destinations must be registered before bulk forward can start.
                if (on && current.Destinations.Count == 0)
                {
                    throw new ContractRuleException(new RuleViolation("destinations", "BF-4", "register at least one destination before starting bulk forward"));
                }

                var changed = await ApplyAsync(connection, transaction, current, on, reason, actor, note, time.GetUtcNow(), cancellationToken);
                return (changed ? await contracts.ReadAsync(connection, transaction, contractId, lockRow: false, cancellationToken) : current, changed);
            },
            cancellationToken);
        if (changed && contract is not null)
        {
            await notifier.PublishAsync(contract, cancellationToken);
        }

        return contract;
    }
}
