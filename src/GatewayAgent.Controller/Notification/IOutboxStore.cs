namespace GatewayAgent.Controller.Notification;

/// <summary>
/// The persistent outbox the dispatcher drains (implemented over the controller's database). Several dispatchers may
/// drain one outbox: a dispatcher first claims due rows under its node id with a lease, and only the holder of a
/// row's claim records a failed attempt on it (docs/notification.md, "Several controllers on one database").
/// </summary>
public interface IOutboxStore
{
    /// <summary>
    /// Atomically claims up to <paramref name="max"/> mails that are pending, due (next attempt ≤ now) and not leased
    /// (never claimed, released, or lease expired: lease ≤ now) for <paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>, and returns them oldest due first. Rows another dispatcher claims at the same
    /// moment are never returned to both.
    /// </summary>
    Task<IReadOnlyList<OutboxMail>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken);

    /// <summary>Extends the lease on one mail if <paramref name="owner"/> still holds its claim and it is pending; false otherwise.</summary>
    Task<bool> RenewLeaseAsync(long id, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Right before the SMTP conversation of one mail, while <paramref name="owner"/> holds its claim: extends the lease
    /// to <paramref name="leaseUntil"/> and durably marks the send as started at <paramref name="at"/> (committed before
    /// the relay is contacted). A mark left by an earlier send that was never followed by a delivered or failed mark
    /// means the relay may already have the mail: the row is then flagged possibly-duplicated for good and
    /// <see cref="OutboxSendStart.Repeat"/> is returned (issue 12 item 10).
    /// </summary>
    Task<OutboxSendStart> BeginSendAsync(long id, string owner, DateTimeOffset at, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Extends every lease <paramref name="owner"/> holds on pending mails (the heartbeat of a long pass); returns how many.</summary>
    Task<int> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Drops every claim <paramref name="owner"/> holds on pending mails, so they are due again at once; returns how many.</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the relay accepted the mail and clears its claim. The relay's acceptance is a fact whoever holds
    /// the claim now, so a pending row is marked delivered even when <paramref name="owner"/> lost its lease
    /// (<see cref="OutboxMarkResult.LeaseHeld"/> false): the new holder then finds the row delivered before it sends.
    /// A row no longer pending is left as it is (<see cref="OutboxMarkResult.Recorded"/> false).
    /// </summary>
    Task<OutboxMarkResult> MarkDeliveredAsync(long id, string owner, DateTimeOffset at, string? serverReply, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failed attempt and clears the claim, only while <paramref name="owner"/> holds it: the mail is retried
    /// at <paramref name="nextAttempt"/>, or given up when null. When <paramref name="alertDue"/> and the mail has not
    /// been alerted on yet, its alerted_at is set in the same transaction and
    /// <see cref="OutboxMarkResult.AlertRaised"/> is true: the operator alert is raised once per mail, across restarts
    /// and dispatchers.
    /// </summary>
    Task<OutboxMarkResult> MarkAttemptFailedAsync(
        long id, string owner, DateTimeOffset at, string error, DateTimeOffset? nextAttempt, bool alertDue, CancellationToken cancellationToken);

    /// <summary>Adds a mail outside a detector transition (test mail, FN-8); returns its id.</summary>
    Task<long> EnqueueAsync(long? contractId, MailKind kind, string recipient, ComposedMail mail, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> CountPendingAsync(CancellationToken cancellationToken);
}
