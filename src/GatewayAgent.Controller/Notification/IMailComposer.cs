namespace GatewayAgent.Controller.Notification;

/// <summary>Renders failure/recovery/test mails in Japanese following the FN-15 sample.</summary>
public interface IMailComposer
{
    ComposedMail Compose(MailFacts facts);
}
