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
    OutboxSignal? outbox = null) : IProbeOutcomeSink
{
    /// <summary>Who the audit names for switch changes made by the detector.</summary>
    public const string DetectorActor = "detector";

    public async Task<bool> RecordAsync(ProbeRecord record, CancellationToken cancellationToken)
    {
        metrics.ProbeRecorded(record.Outcome);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var (settled, changed, transition, cause, mails) = await database.WriteAsync<(bool, ContractRecord?, string?, string?, int)>(
            async (connection, transaction) =>
            {
                var contract = await contracts.ReadAsync(connection, transaction, record.ContractId, lockRow: true, cancellationToken);
                if (contract is null)
                {
                    return (true, null, null, null, 0);
                }

                var step = FailureDetector.Apply(contract.Detector, record.Outcome, settings.FailureThreshold, settings.RecoveryThreshold, now);
                await StoreProbeAsync(connection, transaction, record, now, settings.ProbeHistory, cancellationToken);
                await using (var update = connection.CreateCommand(transaction, """
                    UPDATE contracts SET detector_state = @state, detector_misses = @misses, detector_reached = @reached, detector_since = @since
                    WHERE id = @id
                    """))
                {
                    update.AddParameter("@state", step.Next.State).AddParameter("@misses", step.Next.Misses)
                        .AddParameter("@reached", step.Next.Reached).AddParameter("@since", step.Next.Since).AddParameter("@id", contract.Id);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }

                if (step.TransitionTo is not { } to)
                {
                    return (step.Settled, null, null, null, 0);
                }

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
                return (step.Settled, after, to, why, queued);
            },
            cancellationToken);

        if (transition is not null && changed is not null)
        {
            metrics.DetectorTransition(transition);
            if (transition == DetectorStates.Failed)
            {
                Log.FailureDetected(logger, changed.Id, cause!, mails);
            }
            else
            {
                Log.RecoveryDetected(logger, changed.Id, mails);
            }

            if (mails > 0)
            {
                outbox?.Notify(); // the dispatcher delivers now instead of at its next poll
            }

            await notifier.PublishAsync(changed, cancellationToken);
        }

        return settled;
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
}
