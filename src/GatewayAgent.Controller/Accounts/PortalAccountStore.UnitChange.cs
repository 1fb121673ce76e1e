using System.Data.Common;
using System.Globalization;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-9: changes of authentication unit.</summary>
public sealed partial class PortalAccountStore
{
    /// <summary>
    /// SS-11 for SS-9's form, which shows every account of the contract: a number that grows with any change of any of
    /// them (each change raises its row's version; an account added raises the count).
    /// </summary>
    public static long AccountsVersion(IEnumerable<PortalAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var list = accounts.ToList();
        return list.Sum(a => a.RowVersion) + (list.Count * 1_000_000L);
    }

    /// <summary>
    /// SS-9: changes the contract of <see cref="UnitChange.ActorNumber"/> to <see cref="UnitChange.To"/> after checking,
    /// in this order, that <see cref="UnitChangeRules"/> allows it from this login, the form's version, and the
    /// passwords it asks for (every wrong one counts toward its number's lockout, SS-6). The passwords then follow the
    /// plan; a password set or invalidated ends that number's sessions (its credential stamp changes).
    /// </summary>
    public async Task<UnitChangeResult> ChangeUnitAsync(UnitChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var actor = await FindRowAsync(change.ActorNumber, cancellationToken);
        if (actor is null)
        {
            return new UnitChangeResult(UnitChangeStatus.Refused, UnitChangeRules.LineLoginRefusal, [], null);
        }

        var contractId = actor.Account.ContractId;
        var numbers = await ContractNumbersAsync(contractId, cancellationToken);
        var rows = await RowsOfContractAsync(contractId, cancellationToken);
        var plan = UnitChangeRules.Plan(actor.Account.Unit, change.To, actor.Account.Number, actor.Account.ContractNumber, numbers, rows.ContainsKey);
        if (!plan.Allowed)
        {
            return new UnitChangeResult(UnitChangeStatus.Refused, plan.Refusal, [], plan);
        }

        if (AccountsVersion(rows.Values.Select(r => r.Account)) != change.ExpectedVersion)
        {
            return new UnitChangeResult(UnitChangeStatus.Stale, null, [], plan);
        }

        var now = _time.GetUtcNow();
        var proving = plan.Proof == UnitChangeProof.AllPasswords ? numbers : [actor.Account.Number];
        var missing = proving.Where(n => !rows.TryGetValue(n, out var row) || row.PasswordHash is null || row.Account.PasswordInvalidated).ToList();
        if (missing.Count > 0)
        {
            return new UnitChangeResult(UnitChangeStatus.MissingPassword, null, missing, plan);
        }

        var wrong = new List<string>();
        foreach (var number in proving)
        {
            var row = rows[number];
            var entered = change.Passwords.GetValueOrDefault(number) ?? string.Empty;
            if (!Verifies(row.PasswordHash, entered))
            {
                wrong.Add(number);
                await CountFailureAsync(row, now, cancellationToken);
            }
            else
            {
                await ResetAfterLoginAsync(row, temporary: false, now, cancellationToken);
            }
        }

        if (wrong.Count > 0)
        {
            return new UnitChangeResult(UnitChangeStatus.WrongPassword, null, wrong, plan);
        }

        var written = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                var current = new Dictionary<string, AccountRow>(StringComparer.Ordinal);
                await using (var read = connection.CreateCommand(transaction, SelectAccount + " WHERE a.contract_id = @c"))
                {
                    read.AddParameter("@c", contractId);
                    await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var row = AccountRow.Read(reader);
                        current[row.Account.Number] = row;
                    }
                }

                // The passwords were verified outside the transaction: nothing may have changed since (the version).
                if (AccountsVersion(current.Values.Select(r => r.Account)) != AccountsVersion(rows.Values.Select(r => r.Account)))
                {
                    return false;
                }

                await using (var unit = connection.CreateCommand(
                    transaction, "UPDATE portal_accounts SET unit = @unit, row_version = row_version + 1, updated_at = @now WHERE contract_id = @c"))
                {
                    unit.AddParameter("@unit", (long)change.To).AddParameter("@now", now).AddParameter("@c", contractId);
                    await unit.ExecuteNonQueryAsync(cancellationToken);
                }

                foreach (var (number, outcome) in plan.Outcomes)
                {
                    if (outcome == UnitChangeOutcome.ActorsPassword && number != actor.Account.Number)
                    {
                        await using var copy = connection.CreateCommand(transaction, """
                            INSERT INTO portal_accounts (number, contract_id, unit, password_hash, password_set_at, created_at, updated_at)
                            VALUES (@n, @c, @unit, @hash, @setAt, @now, @now)
                            ON CONFLICT (number) DO UPDATE SET unit = excluded.unit, password_hash = excluded.password_hash,
                                password_set_at = excluded.password_set_at, password_failures = 0, password_invalidated = 0,
                                temporary_hash = NULL, temporary_issued_at = NULL, temporary_failures = 0, temporary_invalidated = 0,
                                credential_stamp = portal_accounts.credential_stamp + 1, row_version = portal_accounts.row_version + 1,
                                updated_at = excluded.updated_at
                            """);
                        copy.AddParameter("@n", number).AddParameter("@c", contractId).AddParameter("@unit", (long)change.To)
                            .AddParameter("@hash", actor.PasswordHash).AddParameter("@setAt", actor.Account.PasswordSetAt ?? now).AddParameter("@now", now);
                        await copy.ExecuteNonQueryAsync(cancellationToken);
                    }
                    else if (outcome == UnitChangeOutcome.Invalidated && current.ContainsKey(number))
                    {
                        await using var invalidate = connection.CreateCommand(transaction, """
                            UPDATE portal_accounts SET password_invalidated = 1, temporary_hash = NULL, temporary_issued_at = NULL,
                                credential_stamp = credential_stamp + 1 WHERE number = @n
                            """);
                        invalidate.AddParameter("@n", number);
                        await invalidate.ExecuteNonQueryAsync(cancellationToken);
                    }
                }

                await RecordAsync(connection, transaction, contractId, now, change.ActorNumber, actor.Account.ContractNumber, "unit.changed",
                    string.Create(CultureInfo.InvariantCulture, $"SS-9 {actor.Account.Unit} -> {change.To}"), cancellationToken);
                return true;
            },
            cancellationToken);
        if (!written)
        {
            return new UnitChangeResult(UnitChangeStatus.Stale, null, [], plan);
        }

        Log.UnitChanged(_logger, actor.Account.ContractNumber, actor.Account.Unit.ToString(), change.To.ToString(), change.ActorNumber);
        return new UnitChangeResult(UnitChangeStatus.Changed, null, [], plan);
    }

    private static Task RecordAsync(
        DbConnection connection, DbTransaction transaction, long contractId, DateTimeOffset now, string actor,
        string target, string action, string detail, CancellationToken cancellationToken) =>
        SettingsAuditLog.RecordAsync(connection, transaction, contractId, now, actor, target, action, detail, cancellationToken);

    private Task<AccountRow?> FindRowAsync(string number, CancellationToken cancellationToken) =>
        _database.ReadAsync(connection => ReadRowAsync(connection, null, number, cancellationToken), cancellationToken);

    private Task<Dictionary<string, AccountRow>> RowsOfContractAsync(long contractId, CancellationToken cancellationToken) =>
        _database.ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, SelectAccount + " WHERE a.contract_id = @c");
                command.AddParameter("@c", contractId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var rows = new Dictionary<string, AccountRow>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = AccountRow.Read(reader);
                    rows[row.Account.Number] = row;
                }

                return rows;
            },
            cancellationToken);
}
