using System.Data.Common;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Routing;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Numbers;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Customers;

/// <summary>
/// Contracts, their numbers, destinations, recipients and call screening (BF-10). Every change is validated and written
/// in one transaction: a rule violation rolls it back, so nothing is ever half saved. A committed change tells the
/// prober (<see cref="ProbeTargetsChanged"/>), which re-reads its targets at once, and the edge
/// (<see cref="EdgeRoutingChanges"/>), which routes the contract's calls by the new state within a second.
/// <paramref name="probing"/> names the probe calls' caller number, which a nuisance list must not hold (FN-12).
/// A committed change that sets a site's password, moves its site id or deletes its contract is announced to
/// <paramref name="revocations"/>, which ends the site's live MQTT session (issue 12 item 8).
/// </summary>
public sealed class ContractStore(
    ControllerDatabase database,
    TimeProvider time,
    ProbeTargetsChanged? targetsChanged = null,
    IOptions<ProbingOptions>? probing = null,
    EdgeRoutingChanges? routingChanges = null,
    IOptions<EdgeOptions>? edgeOptions = null,
    SiteSessionRevocations? revocations = null)
{
    /// <summary>Rows per INSERT when the nuisance list is written (well below either dialect's parameter limit).</summary>
    private const int NuisanceRowsPerInsert = 200;

    private readonly string _realm = edgeOptions?.Value.Realm ?? new EdgeOptions().Realm;

    private const string ContractColumns = """
        id, contract_number, channels, monitoring_number, probe_target, outbound_proxy, probe_interval_ms, site_id,
        site_password_hash, holder_name, site_information, auto_start, auto_stop, service_on, detector_state,
        detector_misses, detector_reached, detector_since, forwarding_on, forwarding_since, forwarding_reason, created_at, updated_at,
        reject_anonymous, forwarding_held, row_version
        """;

    public async Task<ContractRecord> CreateAsync(ContractDefinition definition, CancellationToken cancellationToken)
    {
        var created = await database.WriteAsync(
            async (connection, transaction) =>
            {
                var normalized = ContractValidator.Require(definition, ProbeCaller);
                await RequireUniqueAsync(connection, transaction, null, normalized, cancellationToken);
                var now = time.GetUtcNow();
                long id;
                await using (var insert = connection.CreateCommand(transaction, """
                    INSERT INTO contracts (contract_number, channels, created_at, updated_at, detector_state, detector_since)
                    VALUES (@number, @channels, @now, @now, 'normal', @now)
                    RETURNING id
                    """))
                {
                    insert.AddParameter("@number", normalized.ContractNumber).AddParameter("@channels", normalized.Channels).AddParameter("@now", now);
                    id = await insert.ScalarLongAsync(cancellationToken) ?? throw new InvalidOperationException("INSERT ... RETURNING gave no id");
                }

                await SaveAsync(connection, transaction, id, normalized, kept: default, _realm, now, cancellationToken);
                return (await ReadAsync(connection, transaction, id, lockRow: false, cancellationToken))!;
            },
            cancellationToken).ConfigureAwait(false);
        targetsChanged?.Notify();
        routingChanges?.Notify(created.Id);
        return created;
    }

    public Task<ContractRecord?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => ReadAsync(connection, null, id, lockRow: false, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ContractRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ContractRecord>>(
            async connection =>
            {
                var ids = new List<long>();
                await using (var command = connection.CreateCommand(null, "SELECT id FROM contracts ORDER BY id"))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        ids.Add(reader.Long(0));
                    }
                }

                var contracts = new List<ContractRecord>(ids.Count);
                foreach (var id in ids)
                {
                    if (await ReadAsync(connection, null, id, lockRow: false, cancellationToken) is { } contract)
                    {
                        contracts.Add(contract);
                    }
                }

                return contracts;
            },
            cancellationToken);

    /// <summary>Read-modify-write in one transaction; null when the contract does not exist.</summary>
    public Task<ContractRecord?> UpdateAsync(long id, Func<ContractDefinition, ContractDefinition> change, CancellationToken cancellationToken) =>
        UpdateAsync(id, change, force: false, cancellationToken);

    /// <summary>
    /// Read-modify-write in one transaction; null when the contract does not exist. <paramref name="force"/> lets the
    /// change remove the last destinations of a contract whose forwarding is on (BF-5, see
    /// <see cref="ContractValidator.RequireDestinationsWhileForwarding"/>).
    /// </summary>
    public Task<ContractRecord?> UpdateAsync(
        long id, Func<ContractDefinition, ContractDefinition> change, bool force, CancellationToken cancellationToken) =>
        UpdateAsync(id, change, force, guard: null, cancellationToken);

    /// <summary>
    /// The same update made from a settings form (issue 11): refused with <see cref="StaleSettingsException"/> unless the
    /// contract still is at <see cref="SettingsWrite.ExpectedVersion"/> (SS-11), and recorded in the settings audit in
    /// the same transaction (who, when, what). A null <paramref name="guard"/> is the API's unguarded update.
    /// </summary>
    public async Task<ContractRecord?> UpdateAsync(
        long id, Func<ContractDefinition, ContractDefinition> change, bool force, SettingsWrite? guard, CancellationToken cancellationToken)
    {
        string? revoked = null;
        var updated = await database.WriteAsync<ContractRecord?>(
            async (connection, transaction) =>
            {
                revoked = null;
                if (await ChangeAsync(connection, transaction, id, change, force, save: true, guard, cancellationToken) is not { } result)
                {
                    return null;
                }

                // The old site's session logged in with what is no longer stored: a new password, or another site id.
                if (result.Current.SiteId is { } site && (result.Next.SitePassword is not null || result.Next.SiteId != site))
                {
                    revoked = site;
                }

                return result.Saved;
            },
            cancellationToken).ConfigureAwait(false);
        if (updated is not null)
        {
            targetsChanged?.Notify();
            routingChanges?.Notify(updated.Id);
            if (revoked is not null)
            {
                revocations?.Revoke(revoked);
            }
        }

        return updated;
    }

    /// <summary>
    /// What <see cref="UpdateAsync(long, Func{ContractDefinition, ContractDefinition}, bool, CancellationToken)"/> would
    /// do, checked by the same rules in the same kind of transaction, without saving anything (BF-16 dry run): the
    /// contract as it is and the definition as it would be stored (normalised). Null when the contract does not exist;
    /// a rule violation throws <see cref="ContractRuleException"/> as the update would.
    /// </summary>
    public Task<(ContractRecord Current, ContractDefinition Next)?> PreviewAsync(
        long id, Func<ContractDefinition, ContractDefinition> change, bool force, CancellationToken cancellationToken) =>
        PreviewAsync(id, change, force, expectedVersion: null, cancellationToken);

    /// <summary>
    /// <see cref="PreviewAsync(long, Func{ContractDefinition, ContractDefinition}, bool, CancellationToken)"/> for a
    /// settings form's confirm step (BF-16): refused with <see cref="StaleSettingsException"/> unless the contract still
    /// is at <paramref name="expectedVersion"/> (SS-11).
    /// </summary>
    public Task<(ContractRecord Current, ContractDefinition Next)?> PreviewAsync(
        long id, Func<ContractDefinition, ContractDefinition> change, bool force, long? expectedVersion, CancellationToken cancellationToken) =>
        database.WriteAsync<(ContractRecord Current, ContractDefinition Next)?>(
            async (connection, transaction) =>
                await ChangeAsync(
                    connection,
                    transaction,
                    id,
                    change,
                    force,
                    save: false,
                    expectedVersion is { } version ? new SettingsWrite(version, "", "preview") : null,
                    cancellationToken) is { } result
                    ? (result.Current, result.Next)
                    : null,
            cancellationToken);

    /// <summary>
    /// Sets the additional numbers, the monitoring number and the channel count (null keeps the current value) in one
    /// transaction. The probe follows the monitoring number (FN-2), and a number that is no longer the contract's takes
    /// its destination with it (BF-2; BF-5 guards the last ones while forwarding is on). Null when the contract does not exist.
    /// </summary>
    public Task<ContractRecord?> SetNumbersAsync(
        long id, IReadOnlyList<string>? additionalNumbers, string? monitoringNumber, int? channels, CancellationToken cancellationToken) =>
        SetNumbersAsync(id, additionalNumbers, monitoringNumber, channels, force: false, cancellationToken);

    /// <inheritdoc cref="SetNumbersAsync(long, IReadOnlyList{string}?, string?, int?, CancellationToken)"/>
    public Task<ContractRecord?> SetNumbersAsync(
        long id, IReadOnlyList<string>? additionalNumbers, string? monitoringNumber, int? channels, bool force, CancellationToken cancellationToken) =>
        UpdateAsync(id, current => ContractChanges.SetNumbers(current, additionalNumbers, monitoringNumber, channels), force, cancellationToken);

    /// <summary>
    /// Sets the call screening (BF-10: reject anonymous callers, the nuisance-caller list; FN-12: never the probe caller)
    /// through the read-modify-write path, so a committed change is announced like any other. Null when the contract
    /// does not exist.
    /// </summary>
    public Task<ContractRecord?> SetScreeningAsync(long id, ScreeningSettings screening, CancellationToken cancellationToken) =>
        UpdateAsync(id, current => current with { Screening = screening }, cancellationToken);

    /// <summary>Sets (replaces) the destination of one of the contract's numbers (BF-2, BF-9, BF-14 checked); null when the contract does not exist.</summary>
    public Task<ContractRecord?> SetDestinationAsync(long id, string number, string? destination, CancellationToken cancellationToken) =>
        UpdateAsync(id, current => ContractChanges.SetDestination(current, number, destination), cancellationToken);

    /// <summary>
    /// <see cref="SetDestinationAsync(long, string, string?, CancellationToken)"/> from a settings form: refused when stale
    /// (SS-11), recorded in the settings audit (<paramref name="guard"/>).
    /// </summary>
    public Task<ContractRecord?> SetDestinationAsync(long id, string number, string? destination, SettingsWrite guard, CancellationToken cancellationToken) =>
        UpdateAsync(id, current => ContractChanges.SetDestination(current, number, destination), force: false, guard, cancellationToken);

    /// <summary>
    /// BF-16's confirm step: the destination of <paramref name="number"/> as it would be stored (normalised), checked by
    /// the same rules as <see cref="SetDestinationAsync(long, string, string?, CancellationToken)"/>, nothing saved; a
    /// rule violation throws <see cref="ContractRuleException"/>, a form older than <paramref name="expectedVersion"/>
    /// <see cref="StaleSettingsException"/>. Null when the contract does not exist.
    /// </summary>
    public async Task<DestinationEntry?> PreviewDestinationAsync(
        long id, string number, string? destination, long expectedVersion, CancellationToken cancellationToken)
    {
        var source = PhoneNumber.Normalize(number) ?? number.Trim();
        return await PreviewAsync(id, current => ContractChanges.SetDestination(current, number, destination), force: false, expectedVersion, cancellationToken)
            is { } preview
            ? preview.Next.Destinations.Single(d => d.Number == source)
            : null;
    }

    /// <summary>
    /// <see cref="RemoveDestinationAsync(long, string, CancellationToken)"/> from a settings form: refused when stale
    /// (SS-11), recorded in the settings audit (<paramref name="guard"/>); BF-5 guards the last one.
    /// </summary>
    public Task<ContractRecord?> RemoveDestinationAsync(long id, string number, SettingsWrite guard, CancellationToken cancellationToken) =>
        UpdateAsync(id, current => ContractChanges.RemoveDestination(current, number), force: false, guard, cancellationToken);

    /// <summary>Removes the destination of one number (none is fine; BF-5 guards the last one); null when the contract does not exist.</summary>
    public Task<ContractRecord?> RemoveDestinationAsync(long id, string number, CancellationToken cancellationToken) =>
        RemoveDestinationAsync(id, number, force: false, cancellationToken);

    /// <inheritdoc cref="RemoveDestinationAsync(long, string, CancellationToken)"/>
    public Task<ContractRecord?> RemoveDestinationAsync(long id, string number, bool force, CancellationToken cancellationToken) =>
        UpdateAsync(id, current => ContractChanges.RemoveDestination(current, number), force, cancellationToken);

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var (deleted, site) = await database.WriteAsync(
            async (connection, transaction) =>
            {
                string? siteId;
                await using (var read = connection.CreateCommand(transaction, "SELECT site_id FROM contracts WHERE id = @id"))
                {
                    read.AddParameter("@id", id);
                    siteId = await read.ExecuteScalarAsync(cancellationToken) as string;
                }

                await using var command = connection.CreateCommand(transaction, "DELETE FROM contracts WHERE id = @id");
                command.AddParameter("@id", id);
                return (await command.ExecuteNonQueryAsync(cancellationToken) == 1, siteId);
            },
            cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            targetsChanged?.Notify();
            routingChanges?.Notify(id);
            if (site is not null)
            {
                revocations?.Revoke(site);
            }
        }

        return deleted;
    }

    /// <summary>Reads one contract inside the caller's connection/transaction; <paramref name="lockRow"/> locks it for the transaction.</summary>
    /// <summary>
    /// Only the detector's state of contract <paramref name="id"/> (null when it does not exist), locking the row with
    /// <paramref name="lockRow"/>: one query, for the probe outcomes that change no more than the counters.
    /// </summary>
    public async Task<DetectorView?> ReadDetectorAsync(DbConnection connection, DbTransaction? transaction, long id, bool lockRow, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
            transaction,
            $"SELECT detector_state, detector_misses, detector_reached, detector_since FROM contracts WHERE id = @id{(lockRow ? database.Dialect.ForUpdate : "")}");
        command.AddParameter("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DetectorView(reader.GetString(0), (int)reader.Long(1), (int)reader.Long(2), reader.NullableTime(3))
            : null;
    }

    public async Task<ContractRecord?> ReadAsync(DbConnection connection, DbTransaction? transaction, long id, bool lockRow, CancellationToken cancellationToken)
    {
        string? passwordHash;
        ContractRecord contract;
        await using (var command = connection.CreateCommand(
            transaction, $"SELECT {ContractColumns} FROM contracts WHERE id = @id{(lockRow ? database.Dialect.ForUpdate : "")}"))
        {
            command.AddParameter("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            passwordHash = reader.NullableString(8);
            contract = new ContractRecord
            {
                Id = reader.Long(0),
                ContractNumber = reader.GetString(1),
                AdditionalNumbers = [],
                Channels = (int)reader.Long(2),
                MonitoringNumber = reader.NullableString(3),
                ProbeTarget = reader.NullableString(4),
                OutboundProxy = reader.NullableString(5),
                ProbeInterval = reader.NullableLong(6) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                SiteId = reader.NullableString(7),
                HasSitePassword = passwordHash is not null,
                Destinations = [],
                Notification = new NotificationSettings
                {
                    HolderName = reader.NullableString(9),
                    SiteInformation = reader.NullableString(10),
                    AutoStart = reader.Bool(11),
                    AutoStop = reader.Bool(12),
                    ServiceOn = reader.Bool(13),
                },
                Detector = new DetectorView(reader.GetString(14), (int)reader.Long(15), (int)reader.Long(16), reader.NullableTime(17)),
                Forwarding = new ForwardingView(reader.Bool(18), reader.NullableTime(19), reader.NullableString(20), Held: reader.Bool(24)),
                CreatedAt = reader.Time(21),
                UpdatedAt = reader.Time(22),
                Screening = new ScreeningSettings { RejectAnonymous = reader.Bool(23) },
                RowVersion = reader.Long(25),
            };
        }

        if (contract.Forwarding.Held)
        {
            // BF-11: since when, by whom and why it is held is the latest operator-hold row of the switch's audit.
            await using var command = connection.CreateCommand(transaction, """
                SELECT at, actor, note FROM forwarding_audit WHERE contract_id = @id AND reason = @reason ORDER BY id DESC LIMIT 1
                """);
            command.AddParameter("@id", id).AddParameter("@reason", ForwardingReasons.OperatorHold);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                contract = contract with
                {
                    Forwarding = contract.Forwarding with { HeldSince = reader.Time(0), HeldBy = reader.GetString(1), HeldNote = reader.NullableString(2) },
                };
            }
        }

        var additional = new List<string>();
        var destinations = new List<DestinationEntry>();
        await using (var command = connection.CreateCommand(
            transaction, "SELECT number, position, destination FROM contract_numbers WHERE contract_id = @id ORDER BY position"))
        {
            command.AddParameter("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var number = reader.GetString(0);
                if (reader.Long(1) > 0)
                {
                    additional.Add(number);
                }

                if (reader.NullableString(2) is { } destination)
                {
                    destinations.Add(new DestinationEntry(number, destination));
                }
            }
        }

        var recipients = new List<RecipientEntry>();
        await using (var command = connection.CreateCommand(
            transaction, "SELECT address, send FROM recipients WHERE contract_id = @id ORDER BY position"))
        {
            command.AddParameter("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recipients.Add(new RecipientEntry(reader.GetString(0), reader.Bool(1)));
            }
        }

        var nuisance = new List<string>();
        await using (var command = connection.CreateCommand(
            transaction, "SELECT caller FROM nuisance_callers WHERE contract_id = @id ORDER BY caller"))
        {
            command.AddParameter("@id", id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                nuisance.Add(reader.GetString(0));
            }
        }

        return contract with
        {
            AdditionalNumbers = additional,
            Destinations = destinations,
            Notification = contract.Notification with { Recipients = recipients },
            Screening = contract.Screening with { NuisanceCallers = nuisance },
        };
    }

    /// <summary>
    /// The one read-validate-write step of every change, inside the caller's transaction: the current record read with
    /// its row locked (so the forwarding state the BF-5 guard sees is the one the change commits against), the change
    /// applied and validated, and with <paramref name="save"/> written and read back.
    /// </summary>
    private async Task<(ContractRecord Current, ContractDefinition Next, ContractRecord? Saved)?> ChangeAsync(
        DbConnection connection,
        DbTransaction transaction,
        long id,
        Func<ContractDefinition, ContractDefinition> change,
        bool force,
        bool save,
        SettingsWrite? guard,
        CancellationToken cancellationToken)
    {
        var current = await ReadAsync(connection, transaction, id, lockRow: true, cancellationToken);
        if (current is null)
        {
            return null;
        }

        guard?.RequireVersion(current); // SS-11: the form showed this version, or nothing is written

        var normalized = ContractValidator.Require(change(current.ToDefinition()), ProbeCaller);
        ContractValidator.RequireDestinationsWhileForwarding(current, normalized, force); // BF-5
        await RequireUniqueAsync(connection, transaction, id, normalized, cancellationToken);
        if (!save)
        {
            return (current, normalized, null);
        }

        KeptSecrets kept = default;
        if (normalized.SitePassword is null && normalized.SiteId is not null)
        {
            await using var hash = connection.CreateCommand(transaction, "SELECT site_password_hash, sip_ha1 FROM contracts WHERE id = @id");
            hash.AddParameter("@id", id);
            await using var reader = await hash.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                // The registration digest names the site id: it survives only while the site id stays.
                kept = new KeptSecrets(reader.NullableString(0), current.SiteId == normalized.SiteId ? reader.NullableString(1) : null);
            }
        }

        var now = time.GetUtcNow();
        await SaveAsync(connection, transaction, id, normalized, kept, _realm, now, cancellationToken);
        var saved = (await ReadAsync(connection, transaction, id, lockRow: false, cancellationToken))!;
        if (guard is not null)
        {
            await guard.RecordAsync(connection, transaction, current, saved, now, cancellationToken);
        }

        return (current, normalized, saved);
    }

    private static async Task RequireUniqueAsync(
        DbConnection connection, DbTransaction transaction, long? self, ContractDefinition definition, CancellationToken cancellationToken)
    {
        var violations = new List<RuleViolation>();
        var numbers = new List<(string Number, string Field)> { (definition.ContractNumber!, "contractNumber") };
        numbers.AddRange(definition.AdditionalNumbers.Select((n, i) => (n, $"additionalNumbers[{i}]")));
        foreach (var (number, field) in numbers)
        {
            await using var command = connection.CreateCommand(transaction, "SELECT contract_id FROM contract_numbers WHERE number = @n");
            command.AddParameter("@n", number);
            var owner = await command.ScalarLongAsync(cancellationToken);
            if (owner is not null && owner != self)
            {
                violations.Add(new RuleViolation(field, "unique", $"{number} belongs to contract {owner}"));
            }
        }

        if (definition.SiteId is not null)
        {
            await using var command = connection.CreateCommand(transaction, "SELECT id FROM contracts WHERE site_id = @s");
            command.AddParameter("@s", definition.SiteId);
            var owner = await command.ScalarLongAsync(cancellationToken);
            if (owner is not null && owner != self)
            {
                violations.Add(new RuleViolation("siteId", "unique", $"site {definition.SiteId} serves contract {owner}"));
            }
        }

        if (violations.Count > 0)
        {
            throw new ContractRuleException(violations);
        }
    }

    private static async Task SaveAsync(
        DbConnection connection,
        DbTransaction transaction,
        long id,
        ContractDefinition definition,
        KeptSecrets kept,
        string realm,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var notification = definition.Notification;
        var passwordHash = definition.SitePassword is { } password ? SitePasswordHasher.Hash(password) : kept.PasswordHash;
        // The site registers at the edge with the same site id and password (docs/routing.md): the edge checks this HA1.
        var ha1 = definition.SitePassword is { } secret && definition.SiteId is { } siteId ? RegistrationDigest.Ha1(siteId, realm, secret) : kept.Ha1;
        await using (var update = connection.CreateCommand(transaction, """
            UPDATE contracts SET contract_number = @number, channels = @channels, monitoring_number = @monitoring,
                probe_target = @target, outbound_proxy = @proxy, probe_interval_ms = @interval, site_id = @site,
                site_password_hash = @hash, sip_ha1 = @ha1, holder_name = @holder, site_information = @siteInfo, auto_start = @autoStart,
                auto_stop = @autoStop, service_on = @serviceOn, reject_anonymous = @rejectAnonymous, updated_at = @now,
                row_version = row_version + 1
            WHERE id = @id
            """))
        {
            update.AddParameter("@id", id).AddParameter("@number", definition.ContractNumber).AddParameter("@channels", definition.Channels)
                .AddParameter("@monitoring", definition.MonitoringNumber).AddParameter("@target", definition.ProbeTarget)
                .AddParameter("@proxy", definition.OutboundProxy)
                .AddParameter("@interval", definition.ProbeInterval is { } interval ? (long)interval.TotalMilliseconds : null)
                .AddParameter("@site", definition.SiteId).AddParameter("@hash", passwordHash).AddParameter("@ha1", ha1)
                .AddParameter("@holder", notification.HolderName).AddParameter("@siteInfo", notification.SiteInformation)
                .AddParameter("@autoStart", notification.AutoStart).AddParameter("@autoStop", notification.AutoStop)
                .AddParameter("@serviceOn", notification.ServiceOn).AddParameter("@rejectAnonymous", definition.Screening.RejectAnonymous)
                .AddParameter("@now", now);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var clear = connection.CreateCommand(
            transaction,
            "DELETE FROM contract_numbers WHERE contract_id = @id; DELETE FROM recipients WHERE contract_id = @id; DELETE FROM nuisance_callers WHERE contract_id = @id"))
        {
            clear.AddParameter("@id", id);
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        var destinations = definition.Destinations.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
        var numbers = new List<string> { definition.ContractNumber! };
        numbers.AddRange(definition.AdditionalNumbers);
        for (var position = 0; position < numbers.Count; position++)
        {
            await using var insert = connection.CreateCommand(
                transaction, "INSERT INTO contract_numbers (number, contract_id, position, destination) VALUES (@n, @id, @p, @d)");
            insert.AddParameter("@n", numbers[position]).AddParameter("@id", id).AddParameter("@p", position)
                .AddParameter("@d", destinations.GetValueOrDefault(numbers[position]));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var position = 0; position < notification.Recipients.Count; position++)
        {
            var recipient = notification.Recipients[position];
            await using var insert = connection.CreateCommand(
                transaction, "INSERT INTO recipients (contract_id, position, address, send) VALUES (@id, @p, @a, @s)");
            insert.AddParameter("@id", id).AddParameter("@p", position).AddParameter("@a", recipient.Address).AddParameter("@s", recipient.Send);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        // BF-10: the edge reads these rows (view edge_nuisance) as "contract id:caller".
        foreach (var chunk in definition.Screening.NuisanceCallers.Chunk(NuisanceRowsPerInsert))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"(@id, @c{i})"));
            await using var insert = connection.CreateCommand(transaction, $"INSERT INTO nuisance_callers (contract_id, caller) VALUES {values}");
            insert.AddParameter("@id", id);
            for (var i = 0; i < chunk.Length; i++)
            {
                insert.AddParameter($"@c{i}", chunk[i]);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private string? ProbeCaller => probing?.Value.CallerNumber;

    /// <summary>The stored site password hash and registration digest an update without a new password keeps.</summary>
    private readonly record struct KeptSecrets(string? PasswordHash, string? Ha1);
}
