using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Metrics;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Probing;
using GatewayAgent.Controller.Storage;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Detection;

/// <summary>
/// Takes each probe outcome and, in ONE transaction: stores the probe (pruning old ones), advances the detector
/// (FN-4, FN-5), and on a transition stores the detector event, queues one mail per recipient with "send" checked
/// (FN-8, FN-15) and switches bulk forward (FN-6 auto-start, FN-7 auto-stop). After commit it publishes the
/// contract's state. So a crash never leaves a transition without its mails, nor mails without their transition.
/// Outcomes arriving together share one transaction (group commit, <see cref="MaxBatch"/>).
/// Together with the prober this is FN-1: watch the line, mail the customer, optionally start bulk forward.
/// </summary>
public sealed class ProbeOutcomeRecorder(
    ControllerDatabase database,
    ContractStore contracts,
    ForwardingSwitch forwarding,
    ContractStateNotifier notifier,
    FailureCauseResolver causes,
    ControllerMetrics metrics,
    IOptions<DetectionOptions> options,
    TimeProvider time,
    ILogger<ProbeOutcomeRecorder> logger,
    IMailComposer? composer = null,
    OutboxSignal? outbox = null,
    IOutcomeFence? fence = null) : IProbeOutcomeSink
{
    /// <summary>Who the audit names for switch changes made by the detector.</summary>
    public const string DetectorActor = "detector";

    /// <summary>Probe outcomes written in one transaction at most (a storm's misses queue while one batch commits).</summary>
    public const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private readonly List<PendingOutcome> _queue = [];
    private bool _writing;

    /// <summary>
    /// Queues the outcome for the writer and waits for its commit. Outcomes that arrive while a batch commits go
    /// together in the next transaction (group commit): under a regional failure thousands of misses arrive within
    /// seconds, and one transaction each queued them for SQLite's single writer for up to ~25 s (bench/RESULTS.md
    /// section 7). Each outcome is still stamped when it arrives, and the detector, mails and switch of one outcome are
    /// still in the same transaction as its probe record. After the commit it publishes the contract's state.
    /// </summary>
    public async Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken)
    {
        metrics.ProbeRecorded(record.Outcome);
        var pending = new PendingOutcome(record, time.GetUtcNow());
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // The writer runs apart from any caller: a caller's cancellation never abandons the others' outcomes.
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        var result = await pending.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.Transition is not null && result.Contract is { } changed)
        {
            metrics.DetectorTransition(result.Transition);
            if (result.Transition == DetectorStates.Failed)
            {
                Log.FailureDetected(logger, changed.Id, result.Cause!, result.Mails);
            }
            else
            {
                Log.RecoveryDetected(logger, changed.Id, result.Mails);
            }

            if (result.Mails > 0)
            {
                outbox?.Notify(); // the dispatcher delivers now instead of at its next poll
            }

            await notifier.PublishAsync(changed, cancellationToken).ConfigureAwait(false);
        }

        return result.Settled;
    }

    /// <summary>Writes the queued outcomes, up to <see cref="MaxBatch"/> per transaction, until none is left.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            List<PendingOutcome> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                var take = Math.Min(_queue.Count, MaxBatch);
                batch = _queue.GetRange(0, take);
                _queue.RemoveRange(0, take);
            }

            try
            {
                var results = await WriteAsync(batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One outcome's failure rolled the batch back: write each alone, so only that one fails.
                foreach (var pending in batch)
                {
                    await WriteAloneAsync(pending).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                batch[0].Done.TrySetException(ex);
            }
        }
    }

    private async Task WriteAloneAsync(PendingOutcome pending)
    {
        try
        {
            var results = await WriteAsync([pending]).ConfigureAwait(false);
            pending.Done.TrySetResult(results[0]);
        }
        catch (Exception ex)
        {
            pending.Done.TrySetException(ex);
        }
    }

    private Task<OutcomeResult[]> WriteAsync(IReadOnlyList<PendingOutcome> batch) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                var results = new OutcomeResult[batch.Count];
                // Cluster (docs/scale-out.md): only outcomes of contracts whose shard this node still holds are written;
                // the fence locks the shard rows first, so no other node can claim them before this commit.
                var allowed = fence is null
                    ? null
                    : await fence.HoldAsync(connection, transaction, batch.Select(p => p.Record.ContractId).Distinct().ToList(), CancellationToken.None).ConfigureAwait(false);
                List<long>? refused = null;
                for (var i = 0; i < batch.Count; i++)
                {
                    if (allowed is not null && !allowed.Contains(batch[i].Record.ContractId))
                    {
                        (refused ??= []).Add(batch[i].Record.ContractId);
                        results[i] = new OutcomeResult(true, null, null, null, 0); // settled: this node stops fast probing it
                        continue;
                    }

                    results[i] = await ApplyAsync(connection, transaction, batch[i].Record, batch[i].ArrivedAt, CancellationToken.None).ConfigureAwait(false);
                }

                if (refused is not null)
                {
                    fence!.Refused(refused);
                }

                return results;
            },
            CancellationToken.None);

    /// <summary>One outcome inside the batch's transaction: probe record, detector, and on a transition its event, mails and switch.</summary>
    private async Task<OutcomeResult> ApplyAsync(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        ProbeRecord record,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Most outcomes only move the counters: the whole contract is read only for a transition.
        var detector = await contracts.ReadDetectorAsync(connection, transaction, record.ContractId, lockRow: true, cancellationToken);
        if (detector is null)
        {
            Log.UnknownContract(logger, record.ContractId);
            return new OutcomeResult(true, null, null, null, 0);
        }

        var step = FailureDetector.Apply(detector, record.Outcome, settings.FailureThreshold, settings.RecoveryThreshold, settings.RecoveryHold, now);
        await StoreProbeAsync(connection, transaction, record, now, settings.ProbeHistory, cancellationToken);
        await using (var update = connection.CreateCommand(transaction, """
            UPDATE contracts SET detector_state = @state, detector_misses = @misses, detector_reached = @reached, detector_since = @since
            WHERE id = @id
            """))
        {
            update.AddParameter("@state", step.Next.State).AddParameter("@misses", step.Next.Misses)
                .AddParameter("@reached", step.Next.Reached).AddParameter("@since", step.Next.Since).AddParameter("@id", record.ContractId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        if (step.TransitionTo is not { } to)
        {
            return new OutcomeResult(step.Settled, null, null, null, 0);
        }

        // the row is locked since the first read; the detector as it was before this outcome goes into the event
        var contract = await contracts.ReadAsync(connection, transaction, record.ContractId, lockRow: false, cancellationToken)
            ?? throw new InvalidOperationException($"contract {record.ContractId} vanished inside its own locked transaction");
        contract = contract with { Detector = detector };

        var failed = to == DetectorStates.Failed;
        var why = failed ? await causes.ResolveAsync(connection, transaction, contract.SiteId, now, cancellationToken) : FailureCauses.Reached;
        long eventId;
        await using (var insert = connection.CreateCommand(transaction, """
            INSERT INTO detector_events (contract_id, at, from_state, to_state, cause) VALUES (@id, @at, @from, @to, @cause)
            RETURNING id
            """))
        {
            insert.AddParameter("@id", contract.Id).AddParameter("@at", now).AddParameter("@from", contract.Detector.State)
                .AddParameter("@to", to).AddParameter("@cause", why);
            eventId = await insert.ScalarLongAsync(cancellationToken) ?? throw new InvalidOperationException("INSERT ... RETURNING gave no id");
        }

        var queued = await QueueMailsAsync(connection, transaction, contract, failed, why, eventId, now, cancellationToken);

        var notification = contract.Notification;
        if (failed && notification.AutoStart)
        {
            // FN-6 with BF-4: auto-start only when destinations are registered. While the operator holds the switch
            // (BF-11) the switch does not go on: ApplyAsync audits the auto-start as suppressed; the mails still go.
            if (contract.Destinations.Count > 0)
            {
                await forwarding.ApplyAsync(
                    connection, transaction, contract, on: true, ForwardingReasons.AutoStart, DetectorActor, $"failure detected ({why})", now, cancellationToken);
            }
            else
            {
                Log.AutoStartWithoutDestinations(logger, contract.Id);
            }
        }
        else if (!failed && notification.AutoStop)
        {
            // FN-7
            await forwarding.ApplyAsync(
                connection, transaction, contract, on: false, ForwardingReasons.AutoStop, DetectorActor, "recovery detected", now, cancellationToken);
        }

        var after = await contracts.ReadAsync(connection, transaction, contract.Id, lockRow: false, cancellationToken);
        return new OutcomeResult(step.Settled, after, to, why, queued);
    }

    private static async Task StoreProbeAsync(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        ProbeRecord record,
        DateTimeOffset now,
        int keep,
        CancellationToken cancellationToken)
    {
        await using (var insert = connection.CreateCommand(transaction, """
            INSERT INTO probe_records (contract_id, outcome, status, detail, started_at, setup_ms, recorded_at)
            VALUES (@c, @outcome, @status, @detail, @started, @setup, @now)
            """))
        {
            insert.AddParameter("@c", record.ContractId).AddParameter("@outcome", record.Outcome.ToString())
                .AddParameter("@status", record.Status is { } status ? (long)status : null).AddParameter("@detail", record.Detail)
                .AddParameter("@started", record.StartedAt)
                .AddParameter("@setup", record.SetupTime is { } setup ? (long)setup.TotalMilliseconds : null)
                .AddParameter("@now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var prune = connection.CreateCommand(transaction, """
            DELETE FROM probe_records WHERE contract_id = @c AND id <=
                (SELECT id FROM probe_records WHERE contract_id = @c ORDER BY id DESC LIMIT 1 OFFSET @keep)
            """);
        prune.AddParameter("@c", record.ContractId).AddParameter("@keep", (long)keep);
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> QueueMailsAsync(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        ContractRecord contract,
        bool failed,
        string cause,
        long eventId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var recipients = contract.Notification.Recipients.Where(r => r.Send).ToList();
        if (recipients.Count == 0)
        {
            return 0;
        }

        var mailComposer = composer ?? throw new InvalidOperationException("No IMailComposer is registered: the host must add the notification services.");
        var kind = failed ? MailKind.Failure : MailKind.Recovery;
        var facts = new MailFacts(
            kind,
            contract.ContractNumber,
            contract.MonitoringNumber ?? contract.ContractNumber,
            now,
            contract.Notification.HolderName,
            contract.Notification.SiteInformation,
            failed ? cause : null);
        var mail = mailComposer.Compose(facts);

        // FN-8: one mail per recipient whose "send" box is checked.
        foreach (var recipient in recipients)
        {
            await OutboxStore.InsertAsync(connection, transaction, contract.Id, eventId, kind, recipient.Address, mail, now, cancellationToken);
        }

        return recipients.Count;
    }

    private sealed record PendingOutcome(ProbeRecord Record, DateTimeOffset ArrivedAt)
    {
        public TaskCompletionSource<OutcomeResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record OutcomeResult(bool Settled, ContractRecord? Contract, string? Transition, string? Cause, int Mails);
}
