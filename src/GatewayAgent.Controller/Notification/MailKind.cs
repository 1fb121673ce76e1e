namespace GatewayAgent.Controller.Notification;

public enum MailKind
{
    Failure,
    Recovery,
    Test,
}
