namespace GatewayAgent.Contracts.Api;

public enum MailKind
{
    Failure,
    Recovery,
    Test,
}
