namespace GatewayAgent.Controller.Notification;

/// <summary>One mail to one recipient, written to the outbox in the same transaction as the detector event.</summary>
/// <param name="Id">Outbox row id; also the basis of the mail's Message-ID, so a resend after a crash is recognisable.</param>
public sealed record OutboxMail(
    long Id,
    long? ContractId,
    MailKind Kind,
    string Recipient,
    string Subject,
    string Body,
    DateTimeOffset CreatedAt,
    int Attempts);
