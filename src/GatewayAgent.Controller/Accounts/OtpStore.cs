using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Domain.Mail;
using Microsoft.AspNetCore.Identity;

namespace GatewayAgent.Controller.Accounts;

/// <summary>
/// SS-7: the one-time password of each number, in the controller's database (table <c>portal_otp</c>), so codes,
/// links and their counters hold across restarts and nodes. The confirmation password and the codes are stored as
/// <see cref="PasswordHasher{TUser}"/> hashes, the confirmation link as a SHA-256 of its token; the confirmation ID is
/// kept as entered (SS-8's download gives it back). Every mail is written to the outbox in the transaction that makes
/// its change, and leaves by the controller's dispatcher (MailKit), as the failure mails do.
/// </summary>
public sealed partial class OtpStore(
    ControllerDatabase database,
    PortalAccountStore accounts,
    IPasswordHasher<string> hasher,
    TimeProvider time,
    IServiceProvider services,
    ILogger<OtpStore> logger)
{
    private const string SelectRow = """
        SELECT number, usage_flag, address, pending_address, link_expires_at, confirmation_id, secret_hash, secret_invalidated,
            code_sent_at, row_version, code_hash, code_failures, secret_failures, contract_id
        FROM portal_otp
        """;

    public const string AddressMessagePrefix = "メールアドレスの形式が正しくありません";

    /// <summary>The settings of <paramref name="number"/> (<see cref="OtpState.None"/> when nothing is set).</summary>
    public async Task<OtpState> GetAsync(string number, CancellationToken cancellationToken) =>
        (await database.ReadAsync(connection => ReadRowAsync(connection, null, number, cancellationToken), cancellationToken))?.State
        ?? OtpState.None(number);

    /// <summary>SS-8: the settings of every number of a contract, in the contract's order.</summary>
    public Task<IReadOnlyList<OtpState>> ListAsync(long contractId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OtpState>>(
            async connection =>
            {
                await using var command = connection.CreateCommand(null, "SELECT number FROM contract_numbers WHERE contract_id = @c ORDER BY position");
                command.AddParameter("@c", contractId);
                var numbers = new List<string>();
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        numbers.Add(reader.GetString(0));
                    }
                }

                var states = new List<OtpState>();
                foreach (var number in numbers)
                {
                    states.Add((await ReadRowAsync(connection, null, number, cancellationToken))?.State ?? OtpState.None(number));
                }

                return states;
            },
            cancellationToken);

    /// <summary>
    /// SS-7: the choice made at the first login (or changed later). <see cref="OtpUsage.NotUsed"/> needs the explicit
    /// agree; <see cref="OtpUsage.Used"/> needs a registration (<see cref="OtpOutcome.NotRegistered"/> otherwise).
    /// </summary>
    public Task<OtpResult> SetUsageAsync(string actor, string number, OtpUsage usage, bool agreed, long expectedVersion, CancellationToken cancellationToken)
    {
        if (usage == OtpUsage.NotUsed && !agreed)
        {
            return Task.FromResult(new OtpResult(OtpOutcome.Invalid, [new OtpFieldError("Agree", "ワンタイムパスワードを利用しない場合は「同意する」を選択してください。")], null));
        }

        return MutateAsync(number, expectedVersion, async (connection, transaction, row, now) =>
        {
            if (usage == OtpUsage.Used && !row.State.Registered)
            {
                return OtpResult.Of(OtpOutcome.NotRegistered, row.State);
            }

            await using var update = connection.CreateCommand(transaction, """
                UPDATE portal_otp SET usage_flag = @u, code_hash = NULL, code_failures = 0, row_version = row_version + 1, updated_at = @now
                WHERE number = @n
                """);
            update.AddParameter("@u", (long)usage).AddParameter("@now", now).AddParameter("@n", number);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await SettingsAuditLog.RecordAsync(
                connection, transaction, row.ContractId, now, actor, number, "otp.usage", usage == OtpUsage.Used ? "SS-7 used" : "SS-7 not used (agreed)", cancellationToken);
            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// SS-7: registration of the receiving address, confirmation ID and confirmation password. The number then uses
    /// the one-time password; the address becomes the receiving one when the mailed link (24 h) is followed. Refused
    /// while a confirmed registration with valid confirmation secrets exists (the change pages are for that).
    /// </summary>
    public async Task<OtpResult> RegisterAsync(
        string actor, string number, OtpRegistration registration, long expectedVersion, Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(linkFor);
        var address = registration.Address?.Trim() ?? string.Empty;
        var errors = new List<OtpFieldError>();
        AddAddressErrors(errors, "Address", address);
        errors.AddRange(OtpCredentialRules.CheckConfirmationId(registration.ConfirmationId).Select(b => new OtpFieldError("ConfirmationId", "確認用ID：" + OtpCredentialRules.Message(b))));
        errors.AddRange(SecretErrors("ConfirmationPassword", registration.ConfirmationPassword, registration.ConfirmationPasswordAgain));
        if (errors.Count > 0)
        {
            return new OtpResult(OtpOutcome.Invalid, errors, null);
        }

        var secretHash = hasher.HashPassword(number, registration.ConfirmationPassword);
        var token = OtpRules.NewToken();
        return await MutateAsync(number, expectedVersion, async (connection, transaction, row, now) =>
        {
            if (row.State is { Address: not null, ConfirmationsInvalidated: false } && row.SecretHash is not null)
            {
                return OtpResult.Of(OtpOutcome.Forbidden, row.State);
            }

            await using var update = connection.CreateCommand(transaction, """
                UPDATE portal_otp SET usage_flag = @u, pending_address = @a, link_hash = @link, link_expires_at = @expires,
                    confirmation_id = @id, secret_hash = @secret, secret_failures = 0, secret_invalidated = 0,
                    row_version = row_version + 1, updated_at = @now
                WHERE number = @n
                """);
            update.AddParameter("@u", (long)OtpUsage.Used).AddParameter("@a", address).AddParameter("@link", OtpRules.HashToken(token))
                .AddParameter("@expires", now + OtpRules.ConfirmationLinkValidity).AddParameter("@id", registration.ConfirmationId)
                .AddParameter("@secret", secretHash).AddParameter("@now", now).AddParameter("@n", number);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await OutboxStore.InsertAsync(
                connection, transaction, row.ContractId, null, MailKind.OtpConfirmation, address, OtpMails.Confirmation(number, linkFor(token)), now, cancellationToken);
            await SettingsAuditLog.RecordAsync(connection, transaction, row.ContractId, now, actor, number, "otp.registered", "SS-7 link mailed", cancellationToken);
            return null;
        }, cancellationToken, mailed: true);
    }

    /// <summary>
    /// SS-7: the mailed link followed: the pending address becomes the receiving address. The link works once and
    /// within 24 h of its mail; an unknown, used or expired token is <see cref="OtpOutcome.Expired"/>.
    /// </summary>
    public async Task<OtpResult> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return OtpResult.Of(OtpOutcome.Expired);
        }

        var now = time.GetUtcNow();
        var hash = OtpRules.HashToken(token);
        var (outcome, number) = await database.WriteAsync<(OtpOutcome, string?)>(
            async (connection, transaction) =>
            {
                OtpRow? row;
                await using (var find = connection.CreateCommand(transaction, SelectRow + " WHERE link_hash = @h" + database.Dialect.ForUpdate))
                {
                    find.AddParameter("@h", hash);
                    await using var reader = await find.ExecuteReaderAsync(cancellationToken);
                    row = await reader.ReadAsync(cancellationToken) ? OtpRow.Read(reader) : null;
                }

                if (row is null)
                {
                    return (OtpOutcome.Expired, null);
                }

                var expired = row.State.LinkExpiresAt is not { } expires || OtpRules.IsExpired(expires, now);
                await using var update = connection.CreateCommand(
                    transaction,
                    expired
                        ? "UPDATE portal_otp SET link_hash = NULL, link_expires_at = NULL, updated_at = @now WHERE number = @n"
                        : """
                          UPDATE portal_otp SET address = pending_address, pending_address = NULL, link_hash = NULL, link_expires_at = NULL,
                              code_hash = NULL, code_failures = 0, row_version = row_version + 1, updated_at = @now
                          WHERE number = @n
                          """);
                update.AddParameter("@now", now).AddParameter("@n", row.State.Number);
                await update.ExecuteNonQueryAsync(cancellationToken);
                if (!expired)
                {
                    await SettingsAuditLog.RecordAsync(
                        connection, transaction, row.ContractId, now, "link", row.State.Number, "otp.address-confirmed", "SS-7", cancellationToken);
                }

                return (expired ? OtpOutcome.Expired : OtpOutcome.Done, row.State.Number);
            },
            cancellationToken);
        if (outcome == OtpOutcome.Done)
        {
            Log.OtpAddressConfirmed(logger, number!);
        }

        return OtpResult.Of(outcome, number is null ? null : await GetAsync(number, cancellationToken));
    }

    /// <summary>
    /// SS-7: a new receiving address, after the confirmation ID and password; then the link step again (the old
    /// address keeps receiving codes until the new one is confirmed). Wrong entries count toward invalidation.
    /// </summary>
    public async Task<OtpResult> ChangeAddressAsync(
        string actor, string number, string confirmationId, string confirmationPassword, string newAddress, long expectedVersion,
        Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkFor);
        var address = newAddress?.Trim() ?? string.Empty;
        var errors = new List<OtpFieldError>();
        AddAddressErrors(errors, "NewAddress", address);
        if (errors.Count > 0)
        {
            return new OtpResult(OtpOutcome.Invalid, errors, null);
        }

        var check = await CheckConfirmationsAsync(number, confirmationId, confirmationPassword, expectedVersion, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        var token = OtpRules.NewToken();
        return await MutateAsync(number, expectedVersion, async (connection, transaction, row, now) =>
        {
            await using var update = connection.CreateCommand(transaction, """
                UPDATE portal_otp SET pending_address = @a, link_hash = @link, link_expires_at = @expires, secret_failures = 0,
                    row_version = row_version + 1, updated_at = @now
                WHERE number = @n
                """);
            update.AddParameter("@a", address).AddParameter("@link", OtpRules.HashToken(token))
                .AddParameter("@expires", now + OtpRules.ConfirmationLinkValidity).AddParameter("@now", now).AddParameter("@n", number);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await OutboxStore.InsertAsync(
                connection, transaction, row.ContractId, null, MailKind.OtpConfirmation, address, OtpMails.Confirmation(number, linkFor(token)), now, cancellationToken);
            await SettingsAuditLog.RecordAsync(connection, transaction, row.ContractId, now, actor, number, "otp.address-changed", "SS-7 link mailed", cancellationToken);
            return null;
        }, cancellationToken, mailed: true);
    }

    /// <summary>SS-7: a new confirmation ID: the current one, then the new one twice.</summary>
    public async Task<OtpResult> ChangeConfirmationIdAsync(
        string actor, string number, string currentId, string newId, string newIdAgain, long expectedVersion, CancellationToken cancellationToken)
    {
        var errors = OtpCredentialRules.CheckConfirmationId(newId).Select(b => new OtpFieldError("NewId", "確認用ID：" + OtpCredentialRules.Message(b))).ToList();
        if (!string.Equals(newId, newIdAgain, StringComparison.Ordinal))
        {
            errors.Add(new OtpFieldError("NewIdAgain", "新しい確認用IDと確認用の入力が一致しません。"));
        }

        var check = await CheckConfirmationsAsync(number, currentId, null, expectedVersion, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        if (errors.Count > 0)
        {
            return new OtpResult(OtpOutcome.Invalid, errors, null);
        }

        return await MutateAsync(number, expectedVersion, async (connection, transaction, row, now) =>
        {
            await using var update = connection.CreateCommand(transaction, """
                UPDATE portal_otp SET confirmation_id = @id, secret_failures = 0, row_version = row_version + 1, updated_at = @now WHERE number = @n
                """);
            update.AddParameter("@id", newId).AddParameter("@now", now).AddParameter("@n", number);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await SettingsAuditLog.RecordAsync(connection, transaction, row.ContractId, now, actor, number, "otp.confirmation-id-changed", "SS-7", cancellationToken);
            return null;
        }, cancellationToken);
    }

    /// <summary>SS-7: a new confirmation password: the current one, then the new one twice.</summary>
    public async Task<OtpResult> ChangeConfirmationPasswordAsync(
        string actor, string number, string currentPassword, string newPassword, string newPasswordAgain, long expectedVersion, CancellationToken cancellationToken)
    {
        var errors = SecretErrors("NewPassword", newPassword, newPasswordAgain).ToList();
        var check = await CheckConfirmationsAsync(number, null, currentPassword, expectedVersion, cancellationToken);
        if (check is not null)
        {
            return check;
        }

        if (errors.Count > 0)
        {
            return new OtpResult(OtpOutcome.Invalid, errors, null);
        }

        var hash = hasher.HashPassword(number, newPassword);
        return await MutateAsync(number, expectedVersion, async (connection, transaction, row, now) =>
        {
            await using var update = connection.CreateCommand(transaction, """
                UPDATE portal_otp SET secret_hash = @s, secret_failures = 0, row_version = row_version + 1, updated_at = @now WHERE number = @n
                """);
            update.AddParameter("@s", hash).AddParameter("@now", now).AddParameter("@n", number);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await SettingsAuditLog.RecordAsync(connection, transaction, row.ContractId, now, actor, number, "otp.confirmation-password-changed", "SS-7", cancellationToken);
            return null;
        }, cancellationToken);
    }

    /// <summary>SS-7: "send OTP": a new 6-digit code to the receiving address, valid 300 s; the previous code is void.</summary>
    public async Task<OtpResult> SendCodeAsync(string number, CancellationToken cancellationToken)
    {
        var code = OtpRules.NewCode();
        var hash = hasher.HashPassword(number, code);
        return await MutateAsync(number, null, async (connection, transaction, row, now) =>
        {
            if (!row.State.Active)
            {
                return OtpResult.Of(OtpOutcome.NotActive, row.State);
            }

            if (row.State.CodeSentAt is { } sent && now - sent < OtpRules.ResendInterval)
            {
                return OtpResult.Of(OtpOutcome.TooSoon, row.State);
            }

            // Not a settings change: the row version (stale forms) stays.
            await using var update = connection.CreateCommand(
                transaction, "UPDATE portal_otp SET code_hash = @h, code_sent_at = @now, code_failures = 0, updated_at = @now WHERE number = @n");
            update.AddParameter("@h", hash).AddParameter("@now", now).AddParameter("@n", number);
            await update.ExecuteNonQueryAsync(cancellationToken);
            await OutboxStore.InsertAsync(
                connection, transaction, row.ContractId, null, MailKind.OtpCode, row.State.Address!, OtpMails.Code(number, code), now, cancellationToken);
            return null;
        }, cancellationToken, mailed: true);
    }

    /// <summary>
    /// SS-7: the code entered at login. Right (within 300 s, once): <see cref="OtpOutcome.Done"/>. Wrong: counted
    /// against the code (3 void it) and as a wrong password (SS-6: 10 in a row invalidate the password).
    /// </summary>
    public async Task<OtpResult> VerifyCodeAsync(string number, string? entered, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(connection => ReadRowAsync(connection, null, number, cancellationToken), cancellationToken);
        var now = time.GetUtcNow();
        if (row is null || !row.State.Active || row.CodeHash is null || row.State.CodeSentAt is not { } sent
            || OtpRules.IsExpired(sent + OtpRules.CodeValidity, now) || row.CodeFailures >= OtpRules.MaxWrongCodes)
        {
            return OtpResult.Of(OtpOutcome.Expired, row?.State);
        }

        var code = entered?.Trim() ?? string.Empty;
        var right = OtpRules.IsCodeForm(code) && hasher.VerifyHashedPassword(number, row.CodeHash, code) != PasswordVerificationResult.Failed;
        var applied = await database.WriteAsync(
            async (connection, transaction) =>
            {
                // Only against the code verified: a code sent meanwhile (or used by another request) is not touched.
                await using var update = connection.CreateCommand(
                    transaction,
                    right
                        ? "UPDATE portal_otp SET code_hash = NULL, code_failures = 0, updated_at = @now WHERE number = @n AND code_hash = @h"
                        : """
                          UPDATE portal_otp SET code_failures = code_failures + 1,
                              code_hash = CASE WHEN code_failures + 1 >= @max THEN NULL ELSE code_hash END, updated_at = @now
                          WHERE number = @n AND code_hash = @h
                          """);
                update.AddParameter("@now", now).AddParameter("@n", number).AddParameter("@h", row.CodeHash).AddParameter("@max", (long)OtpRules.MaxWrongCodes);
                return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
        if (!applied)
        {
            return OtpResult.Of(OtpOutcome.Expired, row.State);
        }

        if (!right)
        {
            await accounts.RecordFailedLoginAsync(number, cancellationToken);
            Log.OtpCodeWrong(logger, number);
            return OtpResult.Of(OtpOutcome.WrongCode, row.State);
        }

        return OtpResult.Of(OtpOutcome.Done, row.State);
    }

    private static void AddAddressErrors(List<OtpFieldError> errors, string field, string address)
    {
        if (MailAddressRule.Check(address) is { } problem)
        {
            errors.Add(new OtpFieldError(field, $"{AddressMessagePrefix}（{problem}）。"));
        }
    }

    private static IEnumerable<OtpFieldError> SecretErrors(string field, string? secret, string? again)
    {
        foreach (var breach in OtpCredentialRules.CheckConfirmationPassword(secret))
        {
            yield return new OtpFieldError(field, "確認用パスワード：" + OtpCredentialRules.Message(breach));
        }

        if (!string.Equals(secret, again, StringComparison.Ordinal))
        {
            yield return new OtpFieldError(field + "Again", "確認用パスワードと確認用の入力が一致しません。");
        }
    }

    /// <summary>
    /// The confirmation ID and/or password entered against the stored ones (null when right, else the refusal). A wrong
    /// entry counts; <see cref="OtpRules.MaxWrongConfirmations"/> in a row invalidate both (SS-6 applied to SS-7).
    /// </summary>
    private async Task<OtpResult?> CheckConfirmationsAsync(
        string number, string? confirmationId, string? confirmationPassword, long expectedVersion, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(connection => ReadRowAsync(connection, null, number, cancellationToken), cancellationToken);
        if (row is null || row.State.ConfirmationId is null || row.SecretHash is null)
        {
            return OtpResult.Of(OtpOutcome.NotRegistered, row?.State);
        }

        if (row.State.RowVersion != expectedVersion)
        {
            return OtpResult.Of(OtpOutcome.Stale, row.State);
        }

        if (row.State.ConfirmationsInvalidated)
        {
            return OtpResult.Of(OtpOutcome.ConfirmationsInvalidated, row.State);
        }

        var idRight = confirmationId is null || CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(confirmationId), Encoding.UTF8.GetBytes(row.State.ConfirmationId));
        var secretRight = confirmationPassword is null
            || hasher.VerifyHashedPassword(number, row.SecretHash, confirmationPassword) != PasswordVerificationResult.Failed;
        if (idRight && secretRight)
        {
            return null;
        }

        var invalidated = await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = connection.CreateCommand(transaction, """
                    UPDATE portal_otp SET secret_failures = secret_failures + 1,
                        secret_invalidated = CASE WHEN secret_failures + 1 >= @max THEN 1 ELSE secret_invalidated END, updated_at = @now
                    WHERE number = @n
                    """);
                update.AddParameter("@max", (long)OtpRules.MaxWrongConfirmations).AddParameter("@now", time.GetUtcNow()).AddParameter("@n", number);
                await update.ExecuteNonQueryAsync(cancellationToken);
                var after = await ReadRowAsync(connection, transaction, number, cancellationToken);
                return after!.State.ConfirmationsInvalidated;
            },
            cancellationToken);
        if (invalidated)
        {
            Log.OtpConfirmationsInvalidated(logger, number);
            return OtpResult.Of(OtpOutcome.ConfirmationsInvalidated, await GetAsync(number, cancellationToken));
        }

        return OtpResult.Of(OtpOutcome.WrongConfirmation, row.State);
    }

    /// <summary>
    /// One change of a number's row in one transaction: the row is made (version 0) when missing and locked, the form's
    /// version compared (when given), then <paramref name="work"/> runs; it returns null when it wrote (Done).
    /// </summary>
    private async Task<OtpResult> MutateAsync(
        string number, long? expectedVersion, Func<DbConnection, DbTransaction, OtpRow, DateTimeOffset, Task<OtpResult?>> work,
        CancellationToken cancellationToken, bool mailed = false)
    {
        var now = time.GetUtcNow();
        var result = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var row = await LockRowAsync(connection, transaction, number, now, cancellationToken);
                if (row is null)
                {
                    return OtpResult.Of(OtpOutcome.Forbidden);
                }

                if (expectedVersion is { } version && version != row.State.RowVersion)
                {
                    return OtpResult.Of(OtpOutcome.Stale, row.State);
                }

                return await work(connection, transaction, row, now)
                    ?? OtpResult.Of(OtpOutcome.Done, (await ReadRowAsync(connection, transaction, number, cancellationToken))!.State);
            },
            cancellationToken);
        if (result.Outcome == OtpOutcome.Done && mailed)
        {
            services.GetService<OutboxSignal>()?.Notify(); // the dispatcher of this process, when there is one; else the controller's poll
            Log.OtpMailQueued(logger, number);
        }

        return result;
    }

    private async Task<OtpRow?> LockRowAsync(DbConnection connection, DbTransaction transaction, string number, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var ensure = connection.CreateCommand(transaction, """
            INSERT INTO portal_otp (number, contract_id, row_version, updated_at)
            SELECT number, contract_id, 0, @now FROM contract_numbers WHERE number = @n
            ON CONFLICT (number) DO NOTHING
            """))
        {
            ensure.AddParameter("@now", now).AddParameter("@n", number);
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand(transaction, SelectRow + " WHERE number = @n" + database.Dialect.ForUpdate);
        command.AddParameter("@n", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? OtpRow.Read(reader) : null;
    }

    private static async Task<OtpRow?> ReadRowAsync(DbConnection connection, DbTransaction? transaction, string number, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, SelectRow + " WHERE number = @n");
        command.AddParameter("@n", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? OtpRow.Read(reader) : null;
    }

    private sealed record OtpRow(OtpState State, string? SecretHash, string? CodeHash, long CodeFailures, long ContractId)
    {
        public static OtpRow Read(DbDataReader reader)
        {
            var secretHash = reader.NullableString(6);
            var state = new OtpState(
                reader.GetString(0),
                reader.NullableLong(1) is { } usage ? (OtpUsage)usage : null,
                reader.NullableString(2),
                reader.NullableString(3),
                reader.NullableTime(4),
                reader.NullableString(5),
                secretHash is not null,
                reader.Bool(7),
                reader.NullableTime(8),
                reader.Long(9));
            return new OtpRow(state, secretHash, reader.NullableString(10), reader.Long(11), reader.Long(13));
        }
    }
}
