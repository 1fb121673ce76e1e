namespace GatewayAgent.Controller.Notification;

/// <summary>
/// FN-8's test mail ("送信テスト"): composed as every notification is, with the contract's holder name and site
/// information (FN-10), and queued in the outbox, which the controller's dispatcher sends like any other mail. The
/// operators' API and the customers' settings site queue it here; the address is checked by the caller (FN-9).
/// </summary>
public static class TestMail
{
    /// <summary>Queues the test mail to <paramref name="address"/>; returns the outbox id.</summary>
    public static Task<long> QueueAsync(
        ContractRecord contract, string address, IMailComposer composer, IOutboxStore outbox, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(composer);
        ArgumentNullException.ThrowIfNull(outbox);
        var mail = composer.Compose(new MailFacts(
            MailKind.Test,
            contract.ContractNumber,
            contract.MonitoringNumber ?? contract.ContractNumber,
            now,
            contract.Notification.HolderName,
            contract.Notification.SiteInformation,
            null));
        return outbox.EnqueueAsync(contract.Id, MailKind.Test, address, mail, now, cancellationToken);
    }
}
