namespace GatewayAgent.Contracts.Api;

/// <summary>An outbox row with its delivery state, as the API shows it (per-recipient status).</summary>
/// <param name="PossiblyDuplicated">
/// An attempt to send this mail was started and never recorded (the controller was killed, or its database write
/// failed, between the relay's acceptance and the delivered mark), and the mail was sent again: the recipient may have
/// it twice, with the same Message-ID (issue 12 item 10; docs/notification.md, "Exactly once").
/// </param>
public sealed record OutboxEntry(
    long Id,
    long? ContractId,
    MailKind Kind,
    string Recipient,
    string Subject,
    DateTimeOffset CreatedAt,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    string? ServerReply,
    bool PossiblyDuplicated = false);
