namespace GatewayAgent.Controller.Notification;

/// <summary>What a delivered or failed mark did to an outbox row.</summary>
/// <param name="Recorded">The row was updated (false: it was no longer pending, or, for a failed attempt, the claim was lost).</param>
/// <param name="LeaseHeld">The caller still held the row's claim.</param>
/// <param name="AlertedAt">When the undelivered alert was raised for this mail (before or by this mark), if ever.</param>
/// <param name="AlertRaised">This mark raised the alert (it was due and had not been raised before).</param>
public sealed record OutboxMarkResult(bool Recorded, bool LeaseHeld, DateTimeOffset? AlertedAt, bool AlertRaised)
{
    /// <summary>The row was not updated because the caller no longer held its claim, or it was no longer pending.</summary>
    public static OutboxMarkResult NotRecorded(bool leaseHeld, DateTimeOffset? alertedAt) => new(false, leaseHeld, alertedAt, false);
}
