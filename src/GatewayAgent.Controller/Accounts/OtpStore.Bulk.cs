using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;
using GatewayAgent.Domain.Numbers;

namespace GatewayAgent.Controller.Accounts;

/// <summary>SS-8: the one-time-password settings of many numbers at once, from the CSV.</summary>
public sealed partial class OtpStore
{
    /// <summary>SS-11 for SS-8's upload form: grows with any change of any number's one-time-password settings.</summary>
    public static long BulkVersion(IEnumerable<OtpState> states) => states?.Sum(s => s.RowVersion) ?? 0;

    /// <summary>
    /// SS-8: applies the CSV's rows to the contract's numbers, all or nothing. Every row is checked first: a number of
    /// the contract that <paramref name="mayManage"/> allows, once; usage <c>0</c> or <c>1</c>; with <c>1</c> an address
    /// and a confirmation ID, and a confirmation password unless one is stored; each value under its SS-7 rule. Then
    /// usage, confirmation ID and password are set, and a new or changed address is mailed its confirmation link
    /// (SS-7: the address receives codes once the link is followed).
    /// </summary>
    public async Task<OtpBulkResult> ApplyCsvAsync(
        string actor, long contractId, Func<string, bool> mayManage, IReadOnlyList<OtpCsvRow> rows, long expectedVersion,
        Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mayManage);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(linkFor);
        var states = (await ListAsync(contractId, cancellationToken)).ToDictionary(s => s.Number, StringComparer.Ordinal);
        if (BulkVersion(states.Values) != expectedVersion)
        {
            return new OtpBulkResult(OtpOutcome.Stale, 0, 0, []);
        }

        var errors = new List<OtpFieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<(string Number, OtpUsage Usage, string? Address, string? Id, string? SecretHash)>();
        foreach (var row in rows)
        {
            var field = $"csv[{row.Line}]";
            var number = PhoneNumber.Normalize(row.Number);
            if (number is null || !states.TryGetValue(number, out var state) || !mayManage(number))
            {
                errors.Add(new OtpFieldError(field, $"電話番号「{row.Number}」は、この契約で設定できる電話番号ではありません。"));
                continue;
            }

            if (!seen.Add(number))
            {
                errors.Add(new OtpFieldError(field, $"電話番号「{number}」が複数の行にあります。"));
                continue;
            }

            var before = errors.Count;
            if (row.Usage is not ("0" or "1"))
            {
                errors.Add(new OtpFieldError(field, "ワンタイムパスワード利用設定は 0（利用なし）か 1（利用あり）で指定してください。"));
            }

            var used = row.Usage == "1";
            if (row.Address.Length > 0)
            {
                AddAddressErrors(errors, field, row.Address);
            }
            else if (used)
            {
                errors.Add(new OtpFieldError(field, "利用ありの場合は、ワンタイムパスワード受信用メールアドレスを指定してください。"));
            }

            if (row.ConfirmationId.Length > 0)
            {
                errors.AddRange(OtpCredentialRules.CheckConfirmationId(row.ConfirmationId)
                    .Select(b => new OtpFieldError(field, "確認用ID：" + OtpCredentialRules.Message(b))));
            }
            else if (used)
            {
                errors.Add(new OtpFieldError(field, "利用ありの場合は、確認用IDを指定してください。"));
            }

            if (row.ConfirmationPassword.Length > 0)
            {
                errors.AddRange(OtpCredentialRules.CheckConfirmationPassword(row.ConfirmationPassword)
                    .Select(b => new OtpFieldError(field, "確認用パスワード：" + OtpCredentialRules.Message(b))));
            }
            else if (used && !state.HasConfirmationPassword)
            {
                errors.Add(new OtpFieldError(field, "利用ありで確認用パスワードが未登録の場合は、確認用パスワードを指定してください。"));
            }

            if (errors.Count == before)
            {
                planned.Add((number, used ? OtpUsage.Used : OtpUsage.NotUsed, row.Address.Length > 0 ? row.Address : null,
                    row.ConfirmationId.Length > 0 ? row.ConfirmationId : null,
                    row.ConfirmationPassword.Length > 0 ? hasher.HashPassword(number, row.ConfirmationPassword) : null));
            }
        }

        if (errors.Count > 0 || planned.Count == 0)
        {
            return new OtpBulkResult(
                OtpOutcome.Invalid, 0, 0, errors.Count > 0 ? errors : [new OtpFieldError("csv", "設定する行がありません。")]);
        }

        var now = time.GetUtcNow();
        var (applied, mailed) = await database.WriteAsync<(bool, int)>(
            async (connection, transaction) =>
            {
                await using (var version = connection.CreateCommand(transaction, "SELECT COALESCE(SUM(row_version), 0) FROM portal_otp WHERE contract_id = @c"))
                {
                    version.AddParameter("@c", contractId);
                    if (await version.ScalarLongAsync(cancellationToken) != expectedVersion)
                    {
                        return (false, 0);
                    }
                }

                var mails = 0;
                foreach (var (number, usage, address, id, secretHash) in planned)
                {
                    var row = (await LockRowAsync(connection, transaction, number, now, cancellationToken))!;
                    var newAddress = address is not null && address != (row.State.Address ?? row.State.PendingAddress) ? address : null;
                    var token = newAddress is null ? null : OtpRules.NewToken();
                    await using var update = connection.CreateCommand(transaction, """
                        UPDATE portal_otp SET usage_flag = @u,
                            pending_address = COALESCE(@a, pending_address),
                            link_hash = COALESCE(@link, link_hash), link_expires_at = COALESCE(@expires, link_expires_at),
                            confirmation_id = COALESCE(@id, confirmation_id),
                            secret_hash = COALESCE(@secret, secret_hash),
                            secret_failures = CASE WHEN @reset = 1 THEN 0 ELSE secret_failures END,
                            secret_invalidated = CASE WHEN @reset = 1 THEN 0 ELSE secret_invalidated END,
                            code_hash = NULL, code_failures = 0, row_version = row_version + 1, updated_at = @now
                        WHERE number = @n
                        """);
                    update.AddParameter("@u", (long)usage).AddParameter("@a", newAddress)
                        .AddParameter("@link", token is null ? null : OtpRules.HashToken(token))
                        .AddParameter("@expires", token is null ? null : now + OtpRules.ConfirmationLinkValidity)
                        .AddParameter("@id", id).AddParameter("@secret", secretHash).AddParameter("@reset", secretHash is null ? 0L : 1L).AddParameter("@now", now).AddParameter("@n", number);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                    if (token is not null)
                    {
                        await OutboxStore.InsertAsync(
                            connection, transaction, contractId, null, MailKind.OtpConfirmation, newAddress!, OtpMails.Confirmation(number, linkFor(token)), now,
                            cancellationToken);
                        mails++;
                    }

                    await SettingsAuditLog.RecordAsync(
                        connection, transaction, contractId, now, actor, number, "otp.csv",
                        $"SS-8 usage {(long)usage}{(token is null ? "" : ", link mailed")}", cancellationToken);
                }

                return (true, mails);
            },
            cancellationToken);
        if (!applied)
        {
            return new OtpBulkResult(OtpOutcome.Stale, 0, 0, []);
        }

        if (mailed > 0)
        {
            services.GetService<OutboxSignal>()?.Notify();
        }

        Log.OtpBulkApplied(logger, planned.Count, actor);
        return new OtpBulkResult(OtpOutcome.Done, planned.Count, mailed, []);
    }
}
