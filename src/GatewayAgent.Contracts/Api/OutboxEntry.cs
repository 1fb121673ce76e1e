namespace GatewayAgent.Contracts.Api;

/// <summary>An outbox row with its delivery state, as the API shows it (per-recipient status).</summary>
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
    string? ServerReply);
