using GatewayAgent.Controller.Ingest;
using GatewayAgent.Domain.Mail;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Drains the outbox (FN-4, FN-5, FN-8, FN-15; issue 4): each due mail is handed to the relay and marked delivered as
/// soon as the relay accepts it; a failed attempt is retried with exponential backoff, an operator alert is logged once
/// a mail has waited longer than Controller:Mail:UndeliveredAlertAfter (once per mail, recorded in the outbox, so not
/// again after a restart or from another controller), and the mail is given up after MaxAttempts or MaxAge.
/// One loop, one mail at a time in this process; between processes on one database, a mail is only sent under this
/// node's claim on it (<see cref="IOutboxStore.ClaimDueAsync"/>, Controller:Mail:LeaseDuration), so two controllers
/// never send the same mail while both are alive (docs/notification.md, "Several controllers on one database").
/// </summary>
internal sealed class OutboxDispatcher(
    IOutboxStore store,
    SmtpMailSender sender,
    MailMessageFactory messages,
    NotificationMetrics metrics,
    OutboxSignal signal,
    IOptions<MailOptions> options,
    ControllerNode node,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly MailOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NotificationLog.DispatcherStarted(logger, sender.DescribeTarget(), _options.Charset, messages.MessageIdDomain, node.Id, _options.LeaseDuration);
        if (!sender.HasTarget)
        {
            NotificationLog.NoRelay(logger);
        }

        // A node id that is stable across restarts (Controller:Mqtt:ClientId) finds the claims its previous process left
        // at a kill -9 and frees them at once; a random one leaves them to run out after LeaseDuration.
        await ReleaseLeasesAsync("start", stoppingToken).ConfigureAwait(false);

        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                NotificationLog.OutboxError(logger, e);
            }

            if (handled >= _options.BatchSize)
            {
                continue;
            }

            try
            {
                await signal.WaitAsync(_options.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // Claims of a pass cut short by the shutdown: due again at once for the other controllers (or this one, restarted).
        await ReleaseLeasesAsync("stop", CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// One pass: claims the due mails (up to BatchSize) for this node, sends them over one connection while a heartbeat
    /// keeps the claims alive, then samples the outbox depth for the metrics; returns how many mails were claimed.
    /// </summary>
    internal async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await store.ClaimDueAsync(node.Id, now, now + _options.LeaseDuration, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        if (due.Count > 0)
        {
            using var heartbeatStop = new CancellationTokenSource();
            var heartbeat = KeepLeasesAsync(heartbeatStop.Token);
            try
            {
                await SendAsync(due, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Shutdown or a store failure mid-pass: the mails not yet marked are due again at once, not after the lease.
                await ReleaseLeasesAsync("pass aborted", CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            finally
            {
                await heartbeatStop.CancelAsync().ConfigureAwait(false);
                await heartbeat.ConfigureAwait(false);
            }
        }

        metrics.OutboxDepth(await store.CountPendingAsync(cancellationToken).ConfigureAwait(false));
        return due.Count;
    }

    /// <summary>Renews this node's claims every third of LeaseDuration while a pass runs (a slow connect or relay must not lose them).</summary>
    private async Task KeepLeasesAsync(CancellationToken stop)
    {
        var period = _options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, time, stop).ConfigureAwait(false);
                var until = time.GetUtcNow() + _options.LeaseDuration;
                var renewed = await store.RenewLeasesAsync(node.Id, until, stop).ConfigureAwait(false);
                NotificationLog.LeasesRenewed(logger, node.Id, renewed, until);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                NotificationLog.LeaseRenewalFailed(logger, node.Id, e);
            }
        }
    }

    private async Task ReleaseLeasesAsync(string when, CancellationToken cancellationToken)
    {
        try
        {
            var released = await store.ReleaseLeasesAsync(node.Id, cancellationToken).ConfigureAwait(false);
            if (released > 0)
            {
                NotificationLog.LeasesReleased(logger, node.Id, released, when);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The claims run out after LeaseDuration instead.
            NotificationLog.OutboxError(logger, e);
        }
    }

    private async Task SendAsync(IReadOnlyList<OutboxMail> due, CancellationToken cancellationToken)
    {
        SmtpMailSession? session = null;
        Exception? connectError = null;
        try
        {
            foreach (var mail in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (MailAddressRule.Check(mail.Recipient) is { } problem)
                {
                    await FailAsync(mail, $"invalid recipient address (FN-9: {problem})", permanent: true, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                MimeMessage message;
                try
                {
                    message = messages.Create(mail);
                }
                catch (ParseException e)
                {
                    await FailAsync(mail, $"invalid recipient address: {e.Message}", permanent: true, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (connectError is not null)
                {
                    // The relay could not be reached for this pass: every mail of the batch backs off the same way.
                    await FailAsync(mail, Describe(connectError), permanent: false, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (session is null)
                {
                    try
                    {
                        session = await sender.OpenAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        connectError = e;
                        await FailAsync(mail, Describe(e), IsPermanent(e), CancellationToken.None).ConfigureAwait(false);
                        continue;
                    }
                }

                // The connect (or the mails before) may have taken long: send only while this node still holds the
                // mail, with a whole lease ahead of the send. The same write durably marks the send as started before
                // the relay hears of the mail, so a send whose outcome was never recorded is known at the next attempt
                // (issue 12 item 10: possibly duplicated).
                var now = time.GetUtcNow();
                var start = await store.BeginSendAsync(mail.Id, node.Id, now, now + _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                if (start == OutboxSendStart.NotHeld)
                {
                    NotificationLog.LeaseLost(logger, mail.Id, node.Id);
                    continue;
                }

                if (start == OutboxSendStart.Repeat)
                {
                    metrics.PossiblyDuplicated(mail.Kind);
                    NotificationLog.PossiblyDuplicated(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, node.Id);
                }

                string reply;
                try
                {
                    // Not cancelled by shutdown: a send cut off after the relay took the mail but before its reply
                    // was read would be resent at the next start. Controller:Mail:Smtp:Timeout bounds it instead.
                    reply = await session.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    await FailAsync(mail, Describe(e), IsPermanent(e), CancellationToken.None).ConfigureAwait(false);
                    if (session is { IsConnected: false })
                    {
                        await session.DisposeAsync().ConfigureAwait(false);
                        session = null;
                    }

                    continue;
                }

                // The relay has accepted the mail: record it before anything else, and not cancellable, so a
                // shutdown now cannot cause a resend. Only a crash (or a store failure) in this gap resends it,
                // with the same Message-ID (docs/notification.md, "Exactly once").
                var at = time.GetUtcNow();
                var mark = await store.MarkDeliveredAsync(mail.Id, node.Id, at, reply, CancellationToken.None).ConfigureAwait(false);
                metrics.Delivered(mail.Kind);
                NotificationLog.Delivered(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, mail.Attempts + 1, (at - mail.CreatedAt).TotalSeconds, reply.Trim(), node.Id);
                if (!mark.LeaseHeld)
                {
                    NotificationLog.DeliveredAfterLeaseLost(logger, mail.Id, node.Id);
                }

                if (mark.AlertedAt is not null)
                {
                    NotificationLog.DeliveredAfterAlert(logger, mail.Id, mail.ContractId, mail.Recipient, at - mail.CreatedAt);
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The delay before retry number <paramref name="failedAttempts"/> + 1: Initial × Multiplier^(n−1), capped.</summary>
    internal TimeSpan RetryDelay(int failedAttempts)
    {
        var factor = Math.Pow(_options.BackoffMultiplier, Math.Max(0, failedAttempts - 1));
        var ticks = _options.InitialRetryDelay.Ticks * factor;
        return ticks >= _options.MaxRetryDelay.Ticks ? _options.MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private async Task FailAsync(OutboxMail mail, string error, bool permanent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempts = mail.Attempts + 1;
        var age = now - mail.CreatedAt;
        metrics.DeliveryFailed(mail.Kind);

        var reason = permanent ? "refused permanently"
            : attempts >= _options.MaxAttempts ? "Controller:Mail:MaxAttempts reached"
            : age >= _options.MaxAge ? "Controller:Mail:MaxAge reached"
            : null;
        if (reason is not null)
        {
            var gaveUp = await store.MarkAttemptFailedAsync(mail.Id, node.Id, now, error, null, alertDue: false, cancellationToken).ConfigureAwait(false);
            if (!gaveUp.Recorded)
            {
                NotificationLog.MarkNotRecorded(logger, mail.Id, node.Id, "given up");
                return;
            }

            metrics.GaveUp(mail.Kind);
            NotificationLog.GaveUp(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, attempts, age, reason, error);
            return;
        }

        var next = now + RetryDelay(attempts);
        var alertAt = mail.CreatedAt + _options.UndeliveredAlertAfter;
        if (now < alertAt && next > alertAt)
        {
            // Try again right at the alert limit, so a mail that is still failing raises its alert on time.
            next = alertAt;
        }

        var giveUpAt = mail.CreatedAt + _options.MaxAge;
        if (next > giveUpAt)
        {
            next = giveUpAt;
        }

        // Whether to alert is decided by the store in the transaction that records the attempt (alerted_at), so the
        // alert is logged once per mail even across restarts and controllers (issue 4). A crash between that commit
        // and the log line loses the line, never doubles it.
        var failed = await store.MarkAttemptFailedAsync(
            mail.Id, node.Id, now, error, next, alertDue: age >= _options.UndeliveredAlertAfter, cancellationToken).ConfigureAwait(false);
        if (!failed.Recorded)
        {
            NotificationLog.MarkNotRecorded(logger, mail.Id, node.Id, "attempt failed");
            return;
        }

        NotificationLog.AttemptFailed(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, attempts, next, error);
        if (failed.AlertRaised)
        {
            NotificationLog.UndeliveredAlert(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, age, attempts, error, _options.UndeliveredAlertAfter);
        }
    }

    /// <summary>A 5xx refusal of the recipient will not change by retrying; everything else (4xx, network, TLS, auth) may.</summary>
    private static bool IsPermanent(Exception e) =>
        e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } command && (int)command.StatusCode >= 500;

    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
