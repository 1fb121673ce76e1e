namespace GatewayAgent.Controller.Notification;

/// <summary>The persistent outbox the dispatcher drains (implemented over the controller's database).</summary>
public interface IOutboxStore
{
    /// <summary>Mails pending and due (next attempt ≤ now), oldest first.</summary>
    Task<IReadOnlyList<OutboxMail>> GetDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    Task MarkDeliveredAsync(long id, DateTimeOffset at, string? serverReply, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt; the mail is retried at <paramref name="nextAttempt"/>, or given up when null.</summary>
    Task MarkAttemptFailedAsync(long id, DateTimeOffset at, string error, DateTimeOffset? nextAttempt, CancellationToken cancellationToken);

    /// <summary>Adds a mail outside a detector transition (test mail, FN-8); returns its id.</summary>
    Task<long> EnqueueAsync(long? contractId, MailKind kind, string recipient, ComposedMail mail, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> CountPendingAsync(CancellationToken cancellationToken);
}
