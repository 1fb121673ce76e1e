using MailKit.Net.Smtp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Drains the outbox (FN-4, FN-5, FN-8, FN-15): each due mail is handed to the relay and marked delivered as soon as
/// the relay accepts it; a failed attempt is retried with exponential backoff, an operator alert is logged once a mail
/// has waited longer than Controller:Mail:UndeliveredAlertAfter, and the mail is given up after MaxAttempts or MaxAge.
/// One loop, one mail at a time: a mail is never in flight twice, and a delivered mark is written before the next send.
/// </summary>
public sealed class OutboxDispatcher(
    IOutboxStore store,
    SmtpMailSender sender,
    MailMessageFactory messages,
    NotificationMetrics metrics,
    OutboxSignal signal,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly MailOptions _options = options.Value;

    // Mails already alerted on by this process (so the alert is logged once per mail, not per attempt).
    private readonly HashSet<long> _alerted = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NotificationLog.DispatcherStarted(logger, sender.DescribeTarget(), _options.Charset, messages.MessageIdDomain);
        if (!sender.HasTarget)
        {
            NotificationLog.NoRelay(logger);
        }

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
    }

    /// <summary>
    /// One pass: sends every due mail (up to BatchSize) over one connection, then samples the outbox depth for the
    /// metrics; returns how many mails were due.
    /// </summary>
    internal async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var due = await store.GetDueAsync(time.GetUtcNow(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
        if (due.Count > 0)
        {
            await SendAsync(due, cancellationToken).ConfigureAwait(false);
        }

        metrics.OutboxDepth(await store.CountPendingAsync(cancellationToken).ConfigureAwait(false));
        return due.Count;
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
                if (!MailAddressRules.IsValid(mail.Recipient))
                {
                    await FailAsync(mail, "invalid recipient address (FN-9 rules)", permanent: true, cancellationToken).ConfigureAwait(false);
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

                string reply;
                try
                {
                    if (session is null)
                    {
                        try
                        {
                            session = await sender.OpenAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                        {
                            connectError = e;
                            throw;
                        }
                    }

                    // Not cancelled by shutdown: a send cut off after the relay took the mail but before its reply
                    // was read would be resent at the next start. Controller:Mail:Smtp:Timeout bounds it instead.
                    reply = await session.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
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
                await store.MarkDeliveredAsync(mail.Id, at, reply, CancellationToken.None).ConfigureAwait(false);
                metrics.Delivered(mail.Kind);
                NotificationLog.Delivered(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, mail.Attempts + 1, (at - mail.CreatedAt).TotalSeconds, reply.Trim());
                if (_alerted.Remove(mail.Id))
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
            await store.MarkAttemptFailedAsync(mail.Id, now, error, null, cancellationToken).ConfigureAwait(false);
            metrics.GaveUp(mail.Kind);
            _alerted.Remove(mail.Id);
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

        await store.MarkAttemptFailedAsync(mail.Id, now, error, next, cancellationToken).ConfigureAwait(false);
        NotificationLog.AttemptFailed(logger, mail.Id, mail.ContractId, mail.Kind, mail.Recipient, attempts, next, error);
        if (age >= _options.UndeliveredAlertAfter && _alerted.Add(mail.Id))
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
