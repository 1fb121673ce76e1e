namespace GatewayAgent.Controller.Notification;

/// <summary>The notification area's log messages with stable event ids (6400–6499).</summary>
internal static partial class NotificationLog
{
    [LoggerMessage(6400, LogLevel.Information, "mail.dispatcher.started target={Target} charset={Charset} message_id_domain={Domain} node={Node} lease={Lease}")]
    public static partial void DispatcherStarted(ILogger logger, string target, string charset, string domain, string node, TimeSpan lease);

    [LoggerMessage(6401, LogLevel.Warning, "mail.dispatcher.no_relay: Controller:Mail:Smtp:Host is empty and the sink is disabled (Controller:Mail:Sink:Enabled); mails stay in the outbox and fail their attempts")]
    public static partial void NoRelay(ILogger logger);

    [LoggerMessage(6402, LogLevel.Information, "mail.delivered id={Id} contract={ContractId} kind={Kind} recipient={Recipient} attempt={Attempt} age_s={AgeSeconds:F0} reply=\"{Reply}\" node={Node}")]
    public static partial void Delivered(ILogger logger, long id, long? contractId, MailKind kind, string recipient, int attempt, double ageSeconds, string reply, string node);

    [LoggerMessage(6403, LogLevel.Warning, "mail.attempt_failed id={Id} contract={ContractId} kind={Kind} recipient={Recipient} attempt={Attempt} next_attempt={NextAttempt:O} error=\"{Error}\"")]
    public static partial void AttemptFailed(ILogger logger, long id, long? contractId, MailKind kind, string recipient, int attempt, DateTimeOffset nextAttempt, string error);

    [LoggerMessage(6404, LogLevel.Error, "mail.undelivered ALERT id={Id} contract={ContractId} kind={Kind} recipient={Recipient} age={Age} attempts={Attempts} last_error=\"{Error}\" (undelivered longer than Controller:Mail:UndeliveredAlertAfter={Limit})")]
    public static partial void UndeliveredAlert(ILogger logger, long id, long? contractId, MailKind kind, string recipient, TimeSpan age, int attempts, string error, TimeSpan limit);

    [LoggerMessage(6405, LogLevel.Error, "mail.given_up id={Id} contract={ContractId} kind={Kind} recipient={Recipient} attempts={Attempts} age={Age} reason={Reason} last_error=\"{Error}\"")]
    public static partial void GaveUp(ILogger logger, long id, long? contractId, MailKind kind, string recipient, int attempts, TimeSpan age, string reason, string error);

    [LoggerMessage(6406, LogLevel.Error, "mail.outbox_error: the outbox store failed; the dispatcher retries after Controller:Mail:PollInterval")]
    public static partial void OutboxError(ILogger logger, Exception exception);

    [LoggerMessage(6407, LogLevel.Information, "mail.delivered_after_alert id={Id} contract={ContractId} recipient={Recipient} age={Age}")]
    public static partial void DeliveredAfterAlert(ILogger logger, long id, long? contractId, string recipient, TimeSpan age);

    [LoggerMessage(6408, LogLevel.Warning, "mail.charset_fallback id={Id}: the text has characters {Charset} cannot carry; sent in utf-8")]
    public static partial void CharsetFallback(ILogger logger, long id, string charset);

    [LoggerMessage(6409, LogLevel.Warning, "mail.time_zone_fallback: time zone '{Zone}' not found in tzdata; mail times use a fixed +09:00")]
    public static partial void TimeZoneFallback(ILogger logger, string zone);

    [LoggerMessage(6410, LogLevel.Warning, "mail.lease_lost id={Id} node={Node}: another controller has taken over this mail (this one held it longer than Controller:Mail:LeaseDuration without renewing); not sent from here")]
    public static partial void LeaseLost(ILogger logger, long id, string node);

    [LoggerMessage(6411, LogLevel.Warning, "mail.delivered_after_lease_lost id={Id} node={Node}: the relay accepted the mail after this controller's claim had run out; recorded as delivered, but the controller that took it over may have sent it too (same Message-ID)")]
    public static partial void DeliveredAfterLeaseLost(ILogger logger, long id, string node);

    [LoggerMessage(6412, LogLevel.Warning, "mail.mark_not_recorded id={Id} node={Node} outcome={Outcome}: the mail was no longer pending or no longer claimed by this controller; another controller handles it")]
    public static partial void MarkNotRecorded(ILogger logger, long id, string node, string outcome);

    [LoggerMessage(6413, LogLevel.Information, "mail.leases_released node={Node} count={Count} when={When}: this controller's claims were dropped, the mails are due again at once")]
    public static partial void LeasesReleased(ILogger logger, string node, int count, string when);

    [LoggerMessage(6415, LogLevel.Debug, "mail.leases_renewed node={Node} count={Count} until={Until}: a pass is still sending; its claims were kept")]
    public static partial void LeasesRenewed(ILogger logger, string node, int count, DateTimeOffset until);

    [LoggerMessage(6414, LogLevel.Warning, "mail.lease_renewal_failed node={Node}: the claims of this pass could not be renewed; they run out after Controller:Mail:LeaseDuration")]
    public static partial void LeaseRenewalFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(6416, LogLevel.Warning, "mail.possibly_duplicated id={Id} contract={ContractId} kind={Kind} recipient={Recipient} node={Node}: an earlier send of this mail was started and never recorded as delivered or failed (a controller killed, or its database write failed, after handing it to the relay); sending it again with the same Message-ID, the recipient may get it twice")]
    public static partial void PossiblyDuplicated(ILogger logger, long id, long? contractId, MailKind kind, string recipient, string node);

    [LoggerMessage(6425, LogLevel.Information, "mail.sink.duplicate_dropped message_id={MessageId} from={From} to={To}: a mail with this Message-ID is already stored; accepted and not stored again")]
    public static partial void SinkDuplicateDropped(ILogger logger, string messageId, string from, string to);

    [LoggerMessage(6420, LogLevel.Information, "mail.sink.listening endpoint={EndPoint} directory={Directory}")]
    public static partial void SinkListening(ILogger logger, string endPoint, string directory);

    [LoggerMessage(6421, LogLevel.Information, "mail.sink.stored file={File} from={From} to={To} bytes={Bytes}")]
    public static partial void SinkStored(ILogger logger, string file, string from, string to, long bytes);

    [LoggerMessage(6422, LogLevel.Information, "mail.sink.refused from={From} to={To}: the sink is not accepting (SmtpSinkControl.Accepting=false)")]
    public static partial void SinkRefused(ILogger logger, string from, string to);

    [LoggerMessage(6423, LogLevel.Debug, "mail.sink.session_faulted")]
    public static partial void SinkSessionFaulted(ILogger logger, Exception exception);

    [LoggerMessage(6424, LogLevel.Information, "mail.sink.stopped")]
    public static partial void SinkStopped(ILogger logger);
}
