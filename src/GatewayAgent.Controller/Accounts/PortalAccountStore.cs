using System.Data.Common;
using System.Globalization;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Domain.Numbers;
using Microsoft.AspNetCore.Identity;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// The settings site's accounts, one per phone number, in the controller's database (table <c>portal_accounts</c>), so
/// lockout and passwords hold across restarts and nodes (SS-6). Passwords and temporary passwords are stored as
/// ASP.NET Core <see cref="PasswordHasher{TUser}"/> hashes (PBKDF2). Hashing and verifying run outside the write
/// transaction; the write then applies the outcome only if the hash it verified is still the stored one.
/// </summary>
public sealed partial class PortalAccountStore : ITemporaryPasswordIssuer
{
    private const string SelectAccount = """
        SELECT a.number, a.contract_id, c.contract_number, a.unit, a.password_hash, a.password_set_at, a.password_failures,
            a.password_invalidated, a.temporary_hash, a.temporary_issued_at, a.temporary_failures, a.temporary_invalidated,
            a.credential_stamp, a.row_version, a.last_login_at, o.usage_flag, o.address
        FROM portal_accounts a
        JOIN contracts c ON c.id = a.contract_id
        JOIN contract_numbers n ON n.number = a.number AND n.contract_id = a.contract_id
        LEFT JOIN portal_otp o ON o.number = a.number
        """;

    private readonly ControllerDatabase _database;
    private readonly CredentialHasher _hasher;
    private readonly TimeProvider _time;
    private readonly ILogger<PortalAccountStore> _logger;

    public PortalAccountStore(ControllerDatabase database, CredentialHasher hasher, TimeProvider time, ILogger<PortalAccountStore> logger)
    {
        _database = database;
        _hasher = hasher;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task<bool> IsContractLineAsync(string callingNumber, CancellationToken cancellationToken)
    {
        var number = PhoneNumber.Normalize(callingNumber);
        return number is not null && await _database.ReadAsync(
            async connection => await FindContractAsync(connection, null, number, cancellationToken) is not null, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<string?> IssueAsync(
        string callingNumber, AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken)
    {
        var caller = PhoneNumber.Normalize(callingNumber) ?? callingNumber;
        var refusal = await IssueCoreAsync(caller, unit, targetNumber, digits, cancellationToken);
        if (refusal is not null)
        {
            Log.TemporaryPasswordRefused(_logger, caller, refusal);
        }

        return refusal;
    }

    /// <summary>The account of <paramref name="number"/> (digits), or null when it has none.</summary>
    public Task<PortalAccount?> FindAsync(string number, CancellationToken cancellationToken) =>
        _database.ReadAsync(
            async connection => (await ReadRowAsync(connection, null, number, cancellationToken))?.Account, cancellationToken);

    /// <summary>The accounts of a contract's numbers, by number.</summary>
    public Task<IReadOnlyList<PortalAccount>> ListAsync(long contractId, CancellationToken cancellationToken) =>
        _database.ReadAsync<IReadOnlyList<PortalAccount>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, SelectAccount + " WHERE a.contract_id = @c ORDER BY n.position");
                command.AddParameter("@c", contractId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var accounts = new List<PortalAccount>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    accounts.Add(AccountRow.Read(reader).Account);
                }

                return accounts;
            },
            cancellationToken);

    /// <summary>The contract number of the contract <paramref name="number"/> belongs to, or null.</summary>
    public async Task<string?> ContractNumberOfAsync(string number, CancellationToken cancellationToken)
    {
        var normalized = PhoneNumber.Normalize(number);
        return normalized is null
            ? null
            : (await _database.ReadAsync(connection => FindContractAsync(connection, null, normalized, cancellationToken), cancellationToken))?.ContractNumber;
    }

    /// <summary>The numbers of a contract in their order (the contract number first).</summary>
    public Task<IReadOnlyList<string>> ContractNumbersAsync(long contractId, CancellationToken cancellationToken) =>
        _database.ReadAsync<IReadOnlyList<string>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT number FROM contract_numbers WHERE contract_id = @c ORDER BY position");
                command.AddParameter("@c", contractId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var numbers = new List<string>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    numbers.Add(reader.GetString(0));
                }

                return numbers;
            },
            cancellationToken);

    /// <summary>
    /// SS-4, SS-6: a login with <paramref name="number"/> (digits only, no hyphens) and <paramref name="password"/>. The
    /// temporary password is accepted when it is neither invalidated nor older than 24 h; the password when it is not
    /// invalidated (an expired one is accepted and forces a change). A wrong entry counts against each credential the
    /// account holds: 10 in a row invalidate the password, 3 the temporary password. Both slots are verified with one
    /// PBKDF2 derivation (against a dummy hash where there is none, <see cref="CredentialHasher"/>), so the work done
    /// does not depend on whether the number exists.
    /// </summary>
    public async Task<LoginResult> LoginAsync(string number, string password, CancellationToken cancellationToken)
    {
        var row = IsLoginNumber(number)
            ? await _database.ReadAsync(connection => ReadRowAsync(connection, null, number, cancellationToken), cancellationToken)
            : null;
        var now = _time.GetUtcNow();
        var (temporaryMatches, passwordMatches) = VerifyBoth(row, password, now);
        if (row is null || !AccessRules.CanLogIn(row.Account.Unit, row.Account.Number, row.Account.ContractNumber))
        {
            Log.LoginFailed(_logger, Tail(number));
            return LoginResult.Failed;
        }

        if (temporaryMatches && await ResetAfterLoginAsync(row, temporary: true, now, cancellationToken))
        {
            return new LoginResult(await FindAsync(row.Account.Number, cancellationToken), PasswordChangeReason.Temporary);
        }

        if (passwordMatches && await ResetAfterLoginAsync(row, temporary: false, now, cancellationToken))
        {
            var account = await FindAsync(row.Account.Number, cancellationToken);
            return new LoginResult(account, account!.PasswordExpired(now) ? PasswordChangeReason.Expired : null);
        }

        await CountFailureAsync(row, now, cancellationToken);
        Log.LoginFailed(_logger, Tail(number));
        return LoginResult.Failed;
    }

    /// <summary>
    /// SS-10, SS-5, SS-11: sets the target's password after checking, in this order, that the actor may change it, that
    /// the form's version is still the account's, the actor's current password (a wrong one counts toward the lockout),
    /// the confirmation, and the password rules. A change clears the temporary password and the lockout state.
    /// </summary>
    public async Task<PasswordChangeResult> ChangePasswordAsync(PasswordChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (actor, target) = await _database.ReadAsync(
            async connection => (await ReadRowAsync(connection, null, change.ActorNumber, cancellationToken),
                await ReadRowAsync(connection, null, change.TargetNumber, cancellationToken)),
            cancellationToken);
        if (actor is null || target is null || actor.Account.ContractId != target.Account.ContractId
            || !AccessRules.CanChangePasswordOf(actor.Account.Unit, actor.Account.Number, actor.Account.ContractNumber, target.Account.Number))
        {
            return PasswordChangeResult.Of(PasswordChangeOutcome.Forbidden);
        }

        if (target.Account.RowVersion != change.ExpectedVersion)
        {
            return PasswordChangeResult.Of(PasswordChangeOutcome.Stale, target.Account);
        }

        var now = _time.GetUtcNow();
        var (temporaryMatches, passwordMatches) = VerifyBoth(actor, change.CurrentPassword, now);
        if (!temporaryMatches && !passwordMatches)
        {
            await CountFailureAsync(actor, now, cancellationToken);
            return PasswordChangeResult.Of(PasswordChangeOutcome.WrongCurrentPassword, target.Account);
        }

        if (!string.Equals(change.NewPassword, change.ConfirmPassword, StringComparison.Ordinal))
        {
            return PasswordChangeResult.Of(PasswordChangeOutcome.ConfirmationMismatch, target.Account);
        }

        var breaches = PasswordPolicy.Check(
            change.NewPassword,
            [target.Account.Number, target.Account.ContractNumber],
            candidate => _hasher.Verify(target.PasswordHash, target.TemporaryHash, candidate) is (true, _) or (_, true));
        if (breaches.Count > 0)
        {
            return new PasswordChangeResult(PasswordChangeOutcome.PolicyBreached, breaches, target.Account);
        }

        var hash = _hasher.Hash(target.Account.Number, change.NewPassword);
        var written = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = connection.CreateCommand(transaction, """
                    UPDATE portal_accounts SET password_hash = @hash, password_set_at = @now, password_failures = 0, password_invalidated = 0,
                        temporary_hash = NULL, temporary_issued_at = NULL, temporary_failures = 0, temporary_invalidated = 0,
                        credential_stamp = credential_stamp + 1, row_version = row_version + 1, updated_at = @now
                    WHERE number = @n AND row_version = @version
                    """);
                update.AddParameter("@hash", hash).AddParameter("@now", now).AddParameter("@n", target.Account.Number)
                    .AddParameter("@version", change.ExpectedVersion);
                if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    return false;
                }

                await SettingsAuditLog.RecordAsync(
                    connection, transaction, target.Account.ContractId, now, change.ActorNumber, target.Account.Number, "password.changed",
                    change.ActorNumber == target.Account.Number ? "SS-10" : "SS-10 by the admin", cancellationToken);
                return true;
            },
            cancellationToken);
        if (!written)
        {
            return PasswordChangeResult.Of(PasswordChangeOutcome.Stale, await FindAsync(target.Account.Number, cancellationToken));
        }

        Log.PasswordChanged(_logger, target.Account.Number, change.ActorNumber);
        return PasswordChangeResult.Of(PasswordChangeOutcome.Changed, await FindAsync(target.Account.Number, cancellationToken));
    }

    /// <summary>
    /// SS-6, SS-7: one more consecutive wrong entry against <paramref name="number"/>'s credentials, for a wrong
    /// one-time password: a login that fails at its second step fails like a wrong password.
    /// </summary>
    public async Task RecordFailedLoginAsync(string number, CancellationToken cancellationToken)
    {
        var row = await _database.ReadAsync(connection => ReadRowAsync(connection, null, number, cancellationToken), cancellationToken);
        if (row is not null)
        {
            await CountFailureAsync(row, _time.GetUtcNow(), cancellationToken);
        }
    }

    // SS-4: the login number is written without hyphens: digits only, as a subscriber number.
    private static bool IsLoginNumber(string? number) => PhoneNumber.IsSubscriberNumber(number);

    private static string Tail(string? number) => number is { Length: >= 4 } ? number[^4..] : "?";

    private (bool Temporary, bool Password) VerifyBoth(AccountRow? row, string? password, DateTimeOffset now)
    {
        var entered = password ?? string.Empty;
        var temporaryUsable = row is { TemporaryHash: not null, Account.TemporaryInvalidated: false, Account.TemporaryIssuedAt: { } issued }
            && !LockoutRules.IsTemporaryPasswordExpired(issued, now);
        var passwordUsable = row is { PasswordHash: not null, Account.PasswordInvalidated: false };
        var (temporary, current) = _hasher.Verify(temporaryUsable ? row!.TemporaryHash : null, passwordUsable ? row!.PasswordHash : null, entered);
        return (temporary, current);
    }

    private bool Verifies(string? hash, string password) => hash is not null && _hasher.Matches(hash, password);

    private async Task<bool> ResetAfterLoginAsync(AccountRow row, bool temporary, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _database.WriteAsync(
            async (connection, transaction) =>
            {
                // Applied only if the verified hash is still the stored, usable one (another node may have just invalidated it).
                await using var update = connection.CreateCommand(
                    transaction,
                    temporary
                        ? """
                          UPDATE portal_accounts SET temporary_failures = 0, password_failures = 0, last_login_at = @now
                          WHERE number = @n AND temporary_hash = @hash AND temporary_invalidated = 0
                          """
                        : """
                          UPDATE portal_accounts SET password_failures = 0, last_login_at = @now
                          WHERE number = @n AND password_hash = @hash AND password_invalidated = 0
                          """);
                update.AddParameter("@now", now).AddParameter("@n", row.Account.Number)
                    .AddParameter("@hash", temporary ? row.TemporaryHash : row.PasswordHash);
                return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);

    // SS-6: one more consecutive wrong entry against each credential the account holds; the limit invalidates it.
    private async Task CountFailureAsync(AccountRow row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (passwordFailures, temporaryFailures) = await _database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = connection.CreateCommand(transaction, """
                    UPDATE portal_accounts SET
                        password_failures = CASE WHEN password_hash IS NOT NULL AND password_invalidated = 0
                            THEN password_failures + 1 ELSE password_failures END,
                        temporary_failures = CASE WHEN temporary_hash IS NOT NULL AND temporary_invalidated = 0
                            THEN temporary_failures + 1 ELSE temporary_failures END,
                        updated_at = @now
                    WHERE number = @n
                    """);
                update.AddParameter("@now", now).AddParameter("@n", row.Account.Number);
                await update.ExecuteNonQueryAsync(cancellationToken);

                await using var invalidate = connection.CreateCommand(transaction, """
                    UPDATE portal_accounts SET
                        password_invalidated = CASE WHEN password_hash IS NOT NULL AND password_failures >= @maxPassword THEN 1 ELSE password_invalidated END,
                        temporary_invalidated = CASE WHEN temporary_hash IS NOT NULL AND temporary_failures >= @maxTemporary THEN 1 ELSE temporary_invalidated END
                    WHERE number = @n AND ((password_invalidated = 0 AND password_hash IS NOT NULL AND password_failures >= @maxPassword)
                        OR (temporary_invalidated = 0 AND temporary_hash IS NOT NULL AND temporary_failures >= @maxTemporary))
                    """);
                invalidate.AddParameter("@n", row.Account.Number)
                    .AddParameter("@maxPassword", (long)LockoutRules.MaxWrongPasswords)
                    .AddParameter("@maxTemporary", (long)LockoutRules.MaxWrongTemporaryPasswords);
                var invalidated = await invalidate.ExecuteNonQueryAsync(cancellationToken) == 1;

                var after = await ReadRowAsync(connection, transaction, row.Account.Number, cancellationToken);
                if (invalidated && after is not null)
                {
                    await using var stamp = connection.CreateCommand(
                        transaction, "UPDATE portal_accounts SET credential_stamp = credential_stamp + 1 WHERE number = @n");
                    stamp.AddParameter("@n", row.Account.Number);
                    await stamp.ExecuteNonQueryAsync(cancellationToken);
                    await SettingsAuditLog.RecordAsync(
                        connection, transaction, after.Account.ContractId, now, "system", row.Account.Number, "credentials.invalidated",
                        string.Create(CultureInfo.InvariantCulture, $"SS-6: {after.PasswordFailures} wrong passwords, {after.TemporaryFailures} wrong temporary passwords"),
                        cancellationToken);
                }

                return invalidated && after is not null
                    ? (after.Account.PasswordInvalidated && !row.Account.PasswordInvalidated ? after.PasswordFailures : -1,
                        after.Account.TemporaryInvalidated && !row.Account.TemporaryInvalidated ? after.TemporaryFailures : -1)
                    : (-1L, -1L);
            },
            cancellationToken);
        if (passwordFailures >= 0)
        {
            Log.PasswordInvalidated(_logger, row.Account.Number, passwordFailures);
        }

        if (temporaryFailures >= 0)
        {
            Log.TemporaryPasswordInvalidated(_logger, row.Account.Number, temporaryFailures);
        }
    }

    private async Task<string?> IssueCoreAsync(
        string caller, AuthenticationUnit unit, string? targetNumber, string digits, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(unit))
        {
            return "unknown unit";
        }

        if (!LockoutRules.IsTemporaryPasswordForm(digits))
        {
            return "a temporary password is 8 digits";
        }

        string? login = null;
        if (unit != AuthenticationUnit.Line)
        {
            login = PhoneNumber.Normalize(targetNumber);
            if (!PhoneNumber.IsSubscriberNumber(login))
            {
                return "the number entered is not a phone number";
            }
        }

        // Hashed before the write, so the writer lock is not held through PBKDF2; with the salt of the number's password,
        // so a login verifies both with one derivation (CredentialHasher).
        var password = await _database.ReadAsync(
            async connection =>
            {
                var number = login ?? (await FindContractAsync(connection, null, caller, cancellationToken))?.ContractNumber;
                return number is null ? null : await ReadPasswordHashAsync(connection, number, cancellationToken);
            },
            cancellationToken);
        var hash = _hasher.HashWithSaltOf(login ?? caller, digits, password);
        var now = _time.GetUtcNow();
        var (refusal, issuedFor) = await _database.WriteAsync<(string?, string?)>(
            async (connection, transaction) =>
            {
                if (await FindContractAsync(connection, transaction, caller, cancellationToken) is not { } contract)
                {
                    return ("the calling line is not a number of any contract", null);
                }

                var number = login ?? contract.ContractNumber;
                if (!await IsNumberOfAsync(connection, transaction, contract.Id, number, cancellationToken))
                {
                    return ("the number entered is not one of the calling line's contract", null);
                }

                // SS-1, SS-9: the unit is the contract's; a different one is chosen by changing units on the site while
                // passwords are in use. Only logins without a usable password (temporary only, or invalidated) give way.
                await using (var other = connection.CreateCommand(transaction, """
                    SELECT COUNT(*) FROM portal_accounts
                    WHERE contract_id = @c AND unit <> @unit AND password_hash IS NOT NULL AND password_invalidated = 0
                    """))
                {
                    other.AddParameter("@c", contract.Id).AddParameter("@unit", (long)unit);
                    if (await other.ScalarLongAsync(cancellationToken) > 0)
                    {
                        return ("the contract uses another authentication unit; change it on the settings site (SS-9)", null);
                    }
                }

                await using (var drop = connection.CreateCommand(
                    transaction, "DELETE FROM portal_accounts WHERE contract_id = @c AND unit <> @unit"))
                {
                    drop.AddParameter("@c", contract.Id).AddParameter("@unit", (long)unit);
                    await drop.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var upsert = connection.CreateCommand(transaction, """
                    INSERT INTO portal_accounts (number, contract_id, unit, temporary_hash, temporary_issued_at, created_at, updated_at)
                    VALUES (@n, @c, @unit, @hash, @now, @now, @now)
                    ON CONFLICT (number) DO UPDATE SET contract_id = excluded.contract_id, unit = excluded.unit,
                        temporary_hash = excluded.temporary_hash, temporary_issued_at = excluded.temporary_issued_at,
                        temporary_failures = 0, temporary_invalidated = 0,
                        row_version = portal_accounts.row_version + 1, updated_at = excluded.updated_at
                    """))
                {
                    upsert.AddParameter("@n", number).AddParameter("@c", contract.Id).AddParameter("@unit", (long)unit)
                        .AddParameter("@hash", hash).AddParameter("@now", now);
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }

                await SettingsAuditLog.RecordAsync(
                    connection, transaction, contract.Id, now, "ivr:" + caller, number, "temporary-password.issued",
                    "SS-3 unit " + unit.ToString(), cancellationToken);
                return (null, number);
            },
            cancellationToken);
        if (issuedFor is not null)
        {
            Log.TemporaryPasswordIssued(_logger, issuedFor, unit.ToString(), caller);
        }

        return refusal;
    }

    private static async Task<string?> ReadPasswordHashAsync(DbConnection connection, string number, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(null, "SELECT password_hash FROM portal_accounts WHERE number = @n");
        command.AddParameter("@n", number);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<(long Id, string ContractNumber)?> FindContractAsync(
        DbConnection connection, DbTransaction? transaction, string number, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, """
            SELECT c.id, c.contract_number FROM contract_numbers n JOIN contracts c ON c.id = n.contract_id WHERE n.number = @n
            """);
        command.AddParameter("@n", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.Long(0), reader.GetString(1)) : null;
    }

    private static async Task<bool> IsNumberOfAsync(
        DbConnection connection, DbTransaction transaction, long contractId, string number, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
            transaction, "SELECT COUNT(*) FROM contract_numbers WHERE contract_id = @c AND number = @n");
        command.AddParameter("@c", contractId).AddParameter("@n", number);
        return await command.ScalarLongAsync(cancellationToken) == 1;
    }

    private static async Task<AccountRow?> ReadRowAsync(
        DbConnection connection, DbTransaction? transaction, string number, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, SelectAccount + " WHERE a.number = @n");
        command.AddParameter("@n", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AccountRow.Read(reader) : null;
    }
}
