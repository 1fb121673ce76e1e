namespace GatewayAgent.Controller.Notification;

/// <summary>What a failure/recovery mail says (FN-15 sample): composed into the outbox row when the detector transitions.</summary>
/// <param name="Cause">"power.lost", "offline", "no-answer" or null when unknown.</param>
public sealed record MailFacts(
    MailKind Kind,
    string ContractNumber,
    string MonitoringNumber,
    DateTimeOffset DetectedAt,
    string? HolderName,
    string? SiteInformation,
    string? Cause);
