namespace GatewayAgent.Controller.Notification;

/// <summary>What <see cref="IOutboxStore.BeginSendAsync"/> recorded before a mail was handed to the relay (issue 12 item 10).</summary>
public enum OutboxSendStart
{
    /// <summary>The caller no longer holds the mail's claim, or the mail is no longer pending: do not send it.</summary>
    NotHeld,

    /// <summary>The send is marked as started; no earlier send of this mail was left unrecorded.</summary>
    First,

    /// <summary>
    /// The send is marked as started, and an earlier one had been started and never recorded as delivered or failed
    /// (the sender was killed, or its mark failed): the relay may already have the mail, so it is flagged possibly-duplicated.
    /// </summary>
    Repeat,
}
